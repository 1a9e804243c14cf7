//! Results: a diagnostic's across its respondents (with progress and peers for an
//! organisation), and one respondent's own. The thresholds that keep anyone from being
//! singled out are the core's ([`crate::domain::results`]); this loads what they need and
//! runs them off the async runtime.

use crate::app::error::AppError;
use crate::db::{self, Diagnostic, Organisation, Pool, RespondentLink};
use crate::domain::questionnaire::{Questionnaire, Registry};
use crate::domain::results::{self, Answering, DiagnosticResult, Earlier, PeerGroup, Respondent};
use crate::domain::scoring;
use std::sync::Arc;

/// Runs a computation on the blocking threads, away from the ones serving requests.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("a results computation stopped: {e}")))
}

/// The submitted respondents of a diagnostic, with their answers aligned with its questions.
///
/// Submitted responses carry their answers frozen in one JSON text; one without it (made
/// before the freezing existed) is read from the answers table.
pub async fn respondents_of(
    pool: &Pool,
    q: &Questionnaire,
    diagnostic_id: &str,
) -> Result<Vec<Respondent>, AppError> {
    let responses = db::frozen_responses_of_diagnostic(pool, diagnostic_id).await?;
    let mut respondents = Vec::with_capacity(responses.len());
    for r in responses {
        let rows = match &r.answers_json {
            Some(json) => {
                db::thaw_answers(&r.id, json).map_err(|e| AppError::Internal(e.into()))?
            }
            None => db::answers_of_response(pool, &r.id).await?,
        };
        respondents.push(Respondent {
            role: r.respondent_role,
            answers: db::align_answers(q, &rows),
        });
    }
    Ok(respondents)
}

/// An organisation's diagnostic results, with its progress since its previous diagnostic
/// and its peers, as far as the thresholds let them be shown; computed off the async runtime.
pub async fn organisation_result(
    pool: &Pool,
    registry: &Arc<Registry>,
    diagnostic: &Diagnostic,
    organisation: &Organisation,
) -> Result<(Arc<Questionnaire>, DiagnosticResult), AppError> {
    let registry = registry.clone();
    let q = registry
        .get(
            &diagnostic.questionnaire_slug,
            &diagnostic.questionnaire_version,
        )
        .cloned()
        .ok_or(AppError::NotFound)?;
    let respondents = respondents_of(pool, &q, &diagnostic.id).await?;
    let answering = Answering::of(diagnostic.is_solo());
    if results::counted_respondents(answering, &respondents).is_none() {
        // Nothing may be shown yet: neither progress nor peers are worth loading.
        let result = results::disclosed_result(&q, &respondents, answering, None, None);
        return Ok((q, result));
    }

    // The organisation's previous diagnostic with results it may show, on the same
    // questionnaire: a diagnostic with too few respondents has no result to compare with.
    let mut earlier = None;
    for d in db::diagnostics_of_organisation(pool, &organisation.id).await? {
        if d.opened_at < diagnostic.opened_at
            && d.questionnaire_slug == diagnostic.questionnaire_slug
            && let Some(eq) = registry
                .get(&d.questionnaire_slug, &d.questionnaire_version)
                .cloned()
        {
            let respondents = respondents_of(pool, &eq, &d.id).await?;
            if let Some(counted) =
                results::counted_respondents(Answering::of(d.is_solo()), &respondents)
            {
                earlier = Some((
                    eq,
                    counted.to_vec(),
                    format!("{} ({})", d.title, d.opened_at.get(..10).unwrap_or("")),
                ));
                break;
            }
        }
    }

    // Peers: the latest collective results of other verified organisations of the same kind,
    // led by none of this one's leads (the query says why each condition matters).
    let mut peer_respondents = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for d in db::peer_diagnostics(
        pool,
        organisation.kind,
        &diagnostic.questionnaire_slug,
        &organisation.id,
        results::MIN_RESPONDENTS as i64,
    )
    .await?
    {
        // Two diagnostics opened in the same second are still one organisation.
        if !seen.insert(d.organisation_id.clone()) {
            continue;
        }
        if let Some(pq) = registry
            .get(&d.questionnaire_slug, &d.questionnaire_version)
            .cloned()
        {
            let respondents = respondents_of(pool, &pq, &d.id).await?;
            if let Some(counted) = results::counted_respondents(Answering::Collective, &respondents)
            {
                peer_respondents.push((pq, counted.to_vec()));
            }
        }
    }

    off_runtime(move || {
        let peers = PeerGroup {
            scores: peer_respondents
                .iter()
                .map(|(pq, rs)| {
                    scoring::scores_from_question_scores(pq, &results::mean_question_scores(pq, rs))
                })
                .collect(),
        };
        let comparability = earlier
            .as_ref()
            .and_then(|(eq, _, _)| registry.comparability(eq, &q));
        let earlier_arg = match (&earlier, &comparability) {
            (Some((eq, rs, label)), Some(c)) => Some(Earlier {
                questionnaire: eq,
                respondents: rs,
                comparability: c,
                label: label.clone(),
            }),
            _ => None,
        };
        let result =
            results::disclosed_result(&q, &respondents, answering, earlier_arg, Some(&peers));
        (q, result)
    })
    .await
}

/// A diagnostic's results across its respondents, with neither progress nor peers: what a
/// coalition's page shows of its phase-1 autodiagnostic. The page is public, so the
/// 3-respondent rule holds as for an organisation.
pub async fn group_result(
    pool: &Pool,
    registry: &Registry,
    diagnostic: &Diagnostic,
) -> Result<(Arc<Questionnaire>, DiagnosticResult), AppError> {
    let q = registry
        .get(
            &diagnostic.questionnaire_slug,
            &diagnostic.questionnaire_version,
        )
        .cloned()
        .ok_or(AppError::NotFound)?;
    let respondents = respondents_of(pool, &q, &diagnostic.id).await?;
    let qc = q.clone();
    let answering = Answering::of(diagnostic.is_solo());
    let result =
        off_runtime(move || results::disclosed_result(&qc, &respondents, answering, None, None))
            .await?;
    Ok((q, result))
}

/// A respondent's own results once submitted, and whether the diagnostic is answered alone
/// (then they are also what its leads see).
pub async fn respondent_result(
    pool: &Pool,
    link: &RespondentLink,
    questionnaire: &Arc<Questionnaire>,
    response_id: &str,
) -> Result<(DiagnosticResult, bool), AppError> {
    let solo = db::diagnostic(pool, &link.diagnostic_id)
        .await?
        .is_some_and(|d| d.is_solo());
    let rows = db::answers_of_response(pool, response_id).await?;
    let respondent = vec![Respondent {
        role: link.respondent_role.clone(),
        answers: db::align_answers(questionnaire, &rows),
    }];
    let q = questionnaire.clone();
    let result =
        off_runtime(move || results::diagnostic_result(&q, &respondent, None, None)).await?;
    Ok((result, solo))
}
