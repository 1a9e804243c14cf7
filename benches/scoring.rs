//! Scoring speed on the territorial questionnaire: one response (aim: under 20 µs), and a
//! group of 1,000 respondents. Answers are drawn by the demo generator, so they look real
//! (scales, choices, numbers, some « non applicable »).
//!
//! `cargo bench --bench scoring`

use criterion::{Criterion, criterion_group, criterion_main};
use reset_eval::app::demo::{Rng, demo_answer};
use reset_eval::domain::coalition::catalogue::Catalogue;
use reset_eval::domain::questionnaire::{Answer, Questionnaire, Registry};
use reset_eval::domain::scoring::{question_scores, score_group, score_response};
use std::hint::black_box;
use std::path::Path;

fn territoires() -> Questionnaire {
    let coalitions = Catalogue::shipped()
        .expect("catalogue")
        .coalitions
        .into_iter()
        .map(|c| c.slug)
        .collect();
    let report = Registry::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires"),
        &coalitions,
    );
    report
        .registry
        .latest("territoires")
        .expect("territoires ships")
        .as_ref()
        .clone()
}

fn respondent(q: &Questionnaire, rng: &mut Rng) -> Vec<Option<Answer>> {
    let level = rng.between(0.2, 0.8);
    q.questions
        .iter()
        .map(|question| {
            Some(demo_answer(
                question,
                (level + rng.between(-0.2, 0.2)).clamp(0.0, 1.0),
                rng,
            ))
        })
        .collect()
}

fn scoring(c: &mut Criterion) {
    let q = territoires();
    let mut rng = Rng::new(2026);
    let one = respondent(&q, &mut rng);
    c.bench_function("score one response (territoires/v1)", |b| {
        b.iter(|| score_response(black_box(&q), black_box(&one)))
    });

    let group: Vec<Vec<Option<f64>>> = (0..1000)
        .map(|_| question_scores(&q, &respondent(&q, &mut rng)))
        .collect();
    c.bench_function("aggregate 1,000 respondents (territoires/v1)", |b| {
        b.iter(|| score_group(black_box(&q), black_box(&group)))
    });

    let answers: Vec<Vec<Option<Answer>>> = (0..1000).map(|_| respondent(&q, &mut rng)).collect();
    c.bench_function(
        "score and aggregate 1,000 responses from their answers",
        |b| {
            b.iter(|| {
                let s: Vec<_> = answers.iter().map(|a| question_scores(&q, a)).collect();
                score_group(black_box(&q), &s)
            })
        },
    );
}

criterion_group!(benches, scoring);
criterion_main!(benches);
