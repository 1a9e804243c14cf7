//! The pages every French public-facing service has: mentions légales (loi pour la confiance
//! dans l'économie numérique, art. 6), données personnelles (RGPD, art. 13), accessibilité
//! (RGAA, loi du 11 février 2005, art. 47) and the site map, linked from every page's footer.
//!
//! The operator's identity comes from the settings (see [`crate::domain::legal::Operator`]);
//! what the service keeps and for how long is said here from the same constants and settings
//! the code applies, so the page cannot drift from what happens.

use crate::app::error::AppError;
use crate::domain::account;
use crate::domain::i18n::Lang;
use crate::domain::legal::{Detail, Operator};
use crate::web::AppState;
use crate::web::lang::PageContext;
use crate::web::session::SESSION_LIFETIME;
use crate::web::ui::layout::{LEGAL_PAGES as PAGES, html_response, page};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

/// The date of the accessibility statement, as the RGAA asks it to be given.
const STATEMENT_DATE: (&str, &str) = ("6 décembre 2026", "6 December 2026");

/// A configured detail as is; a missing one marked, so that it stands out on the page.
fn detail(d: Detail<'_>) -> Markup {
    match d {
        Detail::Given(s) => html! { (s) },
        Detail::Missing(s) => html! { em.placeholder { (s) } },
    }
}

/// The contact address as a link when configured.
fn contact(operator: &Operator, lang: Lang) -> Markup {
    match operator.email(lang) {
        Detail::Given(email) => html! { a href={ "mailto:" (email) } { (email) } },
        missing => detail(missing),
    }
}

/// GET /mentions-legales
pub async fn legal_notice(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let op = &state.operator;
    let title = lang.pick("Mentions légales", "Legal notice");
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            h2 { (lang.pick("Éditeur", "Publisher")) }
            p { (lang.pick(
                "Ce service, reset-eval, est édité et exploité pour le programme #RESET par :",
                "This service, reset-eval, is published and operated for the #RESET programme by:"
            )) }
            dl.terms {
                dt { (lang.pick("Nom", "Name")) } dd { (detail(op.name(lang))) }
                dt { (lang.pick("Adresse", "Address")) } dd { (detail(op.address(lang))) }
                dt { ("Contact") } dd { (contact(op, lang)) }
            }
            h2 { (lang.pick("Directeur ou directrice de la publication", "Publication director")) }
            p { (detail(op.director(lang))) }
            h2 { (lang.pick("Hébergeur", "Host")) }
            p { (detail(op.host(lang))) }
            h2 { ("Contact") }
            p {
                (lang.pick(
                    "Pour toute question sur le service, vos données personnelles ou son accessibilité, écrivez à ",
                    "For any question about the service, your personal data or its accessibility, write to "
                ))
                (contact(op, lang)) "."
            }
            h2 { (lang.pick("Propriété intellectuelle et licences", "Intellectual property and licences")) }
            p { (lang.pick(
                "Le logiciel reset-eval est un logiciel libre, sous licence MIT. Les questionnaires, le catalogue des coalitions et les données que le service publie sont sous licence Creative Commons Attribution 4.0 (CC BY 4.0), comme toutes les productions du programme #RESET : vous pouvez les réutiliser en citant leur source.",
                "The reset-eval software is free software under the MIT licence. The questionnaires, the coalition catalogue and the data the service publishes are under the Creative Commons Attribution 4.0 licence (CC BY 4.0), like every production of the #RESET programme: you may reuse them, citing their source."
            )) }
            h2 { (lang.pick("Voir aussi", "See also")) }
            (see_also(lang, "/mentions-legales"))
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// What the service keeps: what, why, on what legal basis, for how long, who sees it.
struct Kept {
    what: (&'static str, &'static str),
    why: (&'static str, &'static str),
    basis: (&'static str, &'static str),
    how_long: (String, String),
    who: (&'static str, &'static str),
}

fn kept(state: &AppState) -> Vec<Kept> {
    let months = state.retention.unsubmitted_months;
    let days = SESSION_LIFETIME.whole_days();
    let hours = account::ATTEMPTS_KEPT_HOURS;
    let contract = (
        "l'exécution du service que vous demandez en créant un compte (RGPD, art. 6.1.b)",
        "performing the service you ask for by creating an account (GDPR, art. 6.1.b)",
    );
    let legitimate_security = (
        "l'intérêt légitime de l'opérateur à protéger les comptes (RGPD, art. 6.1.f)",
        "the operator's legitimate interest in protecting accounts (GDPR, art. 6.1.f)",
    );
    let evaluation = (
        "l'intérêt légitime du programme #RESET à permettre l'autodiagnostic et à évaluer son impact (RGPD, art. 6.1.f)",
        "the #RESET programme's legitimate interest in offering the self-diagnostic and evaluating its impact (GDPR, art. 6.1.f)",
    );
    vec![
        Kept {
            what: (
                "Votre compte : nom, adresse e-mail, mot de passe (seulement son empreinte, jamais le mot de passe lui-même), rôle, langue des e-mails, date de création.",
                "Your account: name, email address, password (only its hash, never the password itself), role, language of emails, date of creation.",
            ),
            why: (
                "Vous connecter, gérer vos organisations et coalitions, vous écrire au sujet du service.",
                "Signing you in, managing your organisations and coalitions, writing to you about the service.",
            ),
            basis: contract,
            how_long: (
                "Jusqu'à ce que vous supprimiez votre compte.".into(),
                "Until you delete your account.".into(),
            ),
            who: (
                "Vous ; l'équipe du programme #RESET. Votre nom est vu des membres des coalitions où vous agissez.",
                "You; the #RESET programme team. Your name is seen by the members of the coalitions you act in.",
            ),
        },
        Kept {
            what: (
                "Vos sessions : quand elles ont commencé et quand elles finissent.",
                "Your sessions: when they started and when they end.",
            ),
            why: (
                "Vous garder connecté·e, et pouvoir mettre fin à une session sur tous les appareils.",
                "Keeping you signed in, and being able to end a session on every device.",
            ),
            basis: contract,
            how_long: (
                format!(
                    "{days} jours au plus, puis effacées par une tâche automatique ; immédiatement quand vous vous déconnectez."
                ),
                format!(
                    "{days} days at most, then erased by an automatic task; at once when you sign out."
                ),
            ),
            who: ("Personne d'autre que vous.", "No one but you."),
        },
        Kept {
            what: (
                "Les tentatives de connexion et les créations de compte : une empreinte chiffrée de l'adresse saisie (jamais le texte tapé), l'adresse IP, la date.",
                "Sign-in attempts and account creations: a keyed hash of the address typed (never the typed text), the IP address, the date.",
            ),
            why: (
                "Limiter les essais de mots de passe et la création de comptes en masse.",
                "Limiting password guessing and mass account creation.",
            ),
            basis: legitimate_security,
            how_long: (
                format!("{hours} heures, puis effacées par une tâche automatique."),
                format!("{hours} hours, then erased by an automatic task."),
            ),
            who: ("Personne : seul le service les compte.", "No one: only the service counts them."),
        },
        Kept {
            what: (
                "Les e-mails que le service vous envoie (confirmation d'inscription, nouveau mot de passe, changement d'adresse) et leurs liens à usage unique (seule une empreinte du lien est gardée).",
                "The emails the service sends you (sign-up confirmation, new password, change of address) and their one-time links (only a hash of the link is kept).",
            ),
            why: (
                "Vérifier que l'adresse est la vôtre, vous permettre de retrouver l'accès à votre compte, vous prévenir d'un changement.",
                "Checking that the address is yours, letting you regain access to your account, telling you of a change.",
            ),
            basis: contract,
            how_long: (
                "Le contenu d'un e-mail est effacé dès qu'il est envoyé ; la trace de l'envoi (adresse, objet, date) 30 jours après. Un lien ne sert qu'une fois et expire (une heure pour un nouveau mot de passe, 24 heures pour une confirmation), puis il est effacé.".into(),
                "An email's content is erased as soon as it is sent; the record of sending (address, subject, date) 30 days later. A link works once and expires (one hour for a new password, 24 hours for a confirmation), then is erased.".into(),
            ),
            who: (
                "L'équipe du programme voit les envois en attente ou en échec, pour les relancer.",
                "The programme team sees mails waiting or failed, to retry them.",
            ),
        },
        Kept {
            what: (
                "Les réponses aux questionnaires : les réponses, le rôle de la personne qui répond, les dates. Ni nom ni adresse e-mail : on répond par un lien, sans compte.",
                "Answers to the questionnaires: the answers, the respondent's role, the dates. Neither name nor email address: one answers through a link, without an account.",
            ),
            why: (
                "Calculer les résultats de l'autodiagnostic, et l'évaluation annuelle du programme.",
                "Computing the self-diagnostic's results, and the programme's yearly evaluation.",
            ),
            basis: evaluation,
            how_long: (
                format!(
                    "Envoyées : aussi longtemps que le diagnostic de l'organisation. Jamais envoyées : effacées {months} mois après le dernier enregistrement (réglage APP_RETENTION_UNSUBMITTED_MONTHS)."
                ),
                format!(
                    "Submitted: as long as the organisation's diagnostic. Never submitted: erased {months} months after they were last saved (setting APP_RETENTION_UNSUBMITTED_MONTHS)."
                ),
            ),
            who: (
                "La personne qui répond voit ses propres résultats. Les responsables de l'organisation et l'équipe du programme ne voient que des résultats d'ensemble, à partir de 3 personnes, jamais les réponses d'une personne (sauf l'autodiagnostic « je réponds seul·e », annoncé comme tel). Les données ouvertes et le rapport annuel ne publient aucun chiffre sur moins de 3 personnes ni sur un groupe de moins de 5 organisations.",
                "The respondent sees their own results. The organisation's leads and the programme team see only overall results, from 3 people, never one person's answers (except the « I answer alone » self-diagnostic, announced as such). The open data and the yearly report publish no figure about fewer than 3 people or a group of fewer than 5 organisations.",
            ),
        },
        Kept {
            what: (
                "Ce que vous écrivez dans les coalitions : mesures d'indicateurs et leurs révisions, entrées du journal, actions, productions, avec votre nom comme auteur·rice.",
                "What you write in coalitions: indicator measurements and their revisions, journal entries, actions, productions, with your name as their author.",
            ),
            why: (
                "Suivre l'impact des coalitions, et savoir qui a enregistré quoi.",
                "Tracking the coalitions' impact, and knowing who recorded what.",
            ),
            basis: evaluation,
            how_long: (
                "Aussi longtemps que la coalition. Si vous supprimez votre compte, ces contenus restent, attribués à « compte supprimé ».".into(),
                "As long as the coalition. If you delete your account, they stay, attributed to « deleted account ».".into(),
            ),
            who: (
                "Les noms et les commentaires restent à l'intérieur de la coalition : ses membres et l'équipe du programme. Les valeurs validées et les contenus publics sont publics.",
                "Names and comments stay inside the coalition: its members and the programme team. Validated values and public content are public.",
            ),
        },
    ]
}

/// GET /donnees-personnelles
pub async fn personal_data(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let op = &state.operator;
    let title = lang.pick("Données personnelles", "Personal data");
    let rows = kept(&state);
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Cette page dit quelles données personnelles le service garde, pourquoi, sur quelle base légale, combien de temps, qui les voit, et comment exercer vos droits, comme le demande le Règlement général sur la protection des données (RGPD, article 13).",
                "This page says which personal data the service keeps, why, on what legal basis, for how long, who sees it, and how to exercise your rights, as the General Data Protection Regulation (GDPR, article 13) asks."
            )) }
            h2 { (lang.pick("Responsable du traitement", "Data controller")) }
            p { (detail(op.name(lang))) ", " (detail(op.address(lang))) ". " (lang.pick("Contact : ", "Contact: ")) (contact(op, lang)) "." }
            h2 { (lang.pick("Ce que le service garde", "What the service keeps")) }
            @for row in &rows {
                section.kept {
                    h3 { (lang.pick(row.what.0, row.what.1)) }
                    dl.terms {
                        dt { (lang.pick("Pourquoi", "Why")) } dd { (lang.pick(row.why.0, row.why.1)) }
                        dt { (lang.pick("Base légale", "Legal basis")) } dd { (lang.pick(row.basis.0, row.basis.1)) }
                        dt { (lang.pick("Combien de temps", "How long")) } dd { (lang.pick(&row.how_long.0, &row.how_long.1)) }
                        dt { (lang.pick("Qui les voit", "Who sees them")) } dd { (lang.pick(row.who.0, row.who.1)) }
                    }
                }
            }
            h2 { ("Cookies") }
            p { (lang.pick(
                "Le service ne pose que des cookies nécessaires, sans consentement à demander : la session (chiffrée, pour vous garder connecté·e et protéger les formulaires), la langue choisie (un an), et, pour une personne qui répond, le navigateur qui a commencé une réponse. Aucune mesure d'audience, aucun traceur, rien n'est chargé depuis un autre site.",
                "The service sets only necessary cookies, needing no consent: the session (encrypted, to keep you signed in and protect forms), the chosen language (one year), and, for a respondent, the browser that started a response. No audience measurement, no tracker, nothing loaded from another site."
            )) }
            p { (lang.pick(
                "Aucune donnée n'est vendue ni transmise à des tiers. Les données sont conservées chez l'hébergeur nommé dans les mentions légales.",
                "No data is sold or passed on to third parties. The data is kept by the host named in the legal notice."
            )) }
            h2 { (lang.pick("Vos droits", "Your rights")) }
            p { (lang.pick(
                "Vous avez le droit d'accéder à vos données, de les faire rectifier, de les faire effacer, de les recevoir dans un format lisible par une machine (portabilité), de vous opposer à leur traitement et d'en demander la limitation.",
                "You have the right to access your data, to have it rectified, to have it erased, to receive it in a machine-readable format (portability), to object to its processing and to ask for it to be restricted."
            )) }
            ul {
                li { strong { (lang.pick("Ici, avec un compte : ", "Here, with an account: ")) }
                    (lang.pick("sur ", "on ")) a href="/account" { (lang.pick("votre compte", "your account")) }
                    (lang.pick(
                        ", vous corrigez votre nom, votre adresse e-mail, votre mot de passe et la langue des e-mails, vous téléchargez toutes vos données (« Télécharger mes données », un fichier JSON) et vous supprimez votre compte (« Supprimer mon compte »).",
                        ", you correct your name, email address, password and the language of emails, download all your data (« Download my data », a JSON file) and delete your account (« Delete my account »)."
                    )) }
                li { strong { (lang.pick("Par écrit : ", "In writing: ")) }
                    (lang.pick("à ", "to ")) (contact(op, lang))
                    (lang.pick(
                        ". Une personne qui a répondu sans compte joint le lien personnel de sa réponse : c'est le seul moyen de la retrouver, puisque le service ne sait pas qui a répondu. Nous répondons dans un délai d'un mois.",
                        ". A respondent without an account includes their response's personal link: it is the only way to find it, since the service does not know who answered. We answer within one month."
                    )) }
            }
            h2 { (lang.pick("Réclamation", "Complaint")) }
            p {
                (lang.pick(
                    "Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la Commission nationale de l'informatique et des libertés (CNIL) : ",
                    "If, after contacting us, you consider that your rights are not respected, you may lodge a complaint with the Commission nationale de l'informatique et des libertés (CNIL), the French data protection authority: "
                ))
                a href="https://www.cnil.fr/fr/plaintes" { "www.cnil.fr/fr/plaintes" }
                (lang.pick(", ou par courrier : CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07.", ", or by post: CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France."))
            }
            h2 { (lang.pick("Voir aussi", "See also")) }
            (see_also(lang, "/donnees-personnelles"))
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// GET /accessibilite: the accessibility statement in the form the RGAA sets out.
pub async fn accessibility(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let op = &state.operator;
    let title = lang.pick("Déclaration d'accessibilité", "Accessibility statement");
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            p { (detail(op.name(lang))) (lang.pick(
                " s'engage à rendre ce service accessible, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d'accessibilité s'applique au service reset-eval.",
                " is committed to making this service accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005. This accessibility statement applies to the reset-eval service."
            )) }
            h2 { (lang.pick("État de conformité", "Compliance status")) }
            p { (lang.pick(
                "Ce service est partiellement conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1, en raison des non-conformités et des dérogations énumérées ci-dessous. Il n'a pas encore fait l'objet d'un audit de conformité : il ne peut donc pas se déclarer totalement conforme.",
                "This service is partially compliant with the French accessibility framework (RGAA), version 4.1, because of the non-compliances and exemptions listed below. It has not yet been audited for compliance, so it cannot declare itself fully compliant."
            )) }
            h2 { (lang.pick("Comment il a été testé", "How it was tested")) }
            ul {
                li { (lang.pick(
                    "Un parcours complet au clavier seul, à chaque modification du logiciel : créer un compte, inscrire une organisation, ouvrir un autodiagnostic, répondre, lire les résultats, suivre une coalition, et les pages de ce pied de page.",
                    "A complete keyboard-only journey, at each change of the software: creating an account, registering an organisation, opening a self-diagnostic, answering, reading the results, following a coalition, and the pages of this footer."
                )) }
                li { (lang.pick(
                    "Sur chaque page de ce parcours, les règles automatiques d'axe-core (WCAG 2.1 niveaux A et AA).",
                    "On every page of that journey, axe-core's automated rules (WCAG 2.1 levels A and AA)."
                )) }
                li { (lang.pick(
                    "La validité du code HTML avec le vérificateur Nu du W3C.",
                    "HTML validity with the W3C's Nu checker."
                )) }
                li { (lang.pick(
                    "Un affichage utilisable à 320 pixels de large et avec un texte agrandi à 200 %, sans JavaScript.",
                    "A display usable at 320 pixels wide and with text enlarged to 200 %, without JavaScript."
                )) }
            }
            p { (lang.pick(
                "Technologies utilisées : HTML et CSS ; aucun JavaScript. Environnement de test : Chromium sans interface, axe-core, Nu Html Checker.",
                "Technologies used: HTML and CSS; no JavaScript. Test environment: headless Chromium, axe-core, Nu Html Checker."
            )) }
            h2 { (lang.pick("Contenus non accessibles connus", "Known inaccessible content")) }
            ul {
                li { (lang.pick(
                    "Aucun test n'a encore été mené avec des lecteurs d'écran (NVDA, JAWS, VoiceOver) ni avec des personnes en situation de handicap : des difficultés peuvent subsister que les tests automatiques ne voient pas.",
                    "No test has yet been run with screen readers (NVDA, JAWS, VoiceOver) or with disabled people: difficulties the automated tests cannot see may remain."
                )) }
                li { (lang.pick(
                    "Les graphiques (radar, trajectoires, cartes de chaleur) sont des images : chacun est suivi d'un tableau de ses données, qui en est l'alternative.",
                    "The charts (radar, trajectories, heatmaps) are images: each is followed by a table of its data, which is its alternative."
                )) }
                li { (lang.pick(
                    "Dérogation : les fichiers Parquet des données ouvertes sont un format destiné aux logiciels ; les mêmes données sont publiées en CSV.",
                    "Exemption: the open data's Parquet files are a format meant for software; the same data is published as CSV."
                )) }
                li { (lang.pick(
                    "Hors du champ : les documents et productions des coalitions publiés sur d'autres sites, vers lesquels le service pointe.",
                    "Out of scope: the coalitions' documents and productions published on other sites, which the service links to."
                )) }
            }
            h2 { (lang.pick("Établissement de cette déclaration", "Preparation of this statement")) }
            p { (lang.pick("Cette déclaration a été établie le ", "This statement was prepared on ")) (lang.pick(STATEMENT_DATE.0, STATEMENT_DATE.1)) "." }
            h2 { (lang.pick("Retour d'information et contact", "Feedback and contact")) }
            p {
                (lang.pick(
                    "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à ",
                    "If you cannot reach some content or service, write to "
                ))
                (contact(op, lang))
                (lang.pick(
                    " : nous vous orienterons vers une alternative accessible ou vous donnerons le contenu sous une autre forme.",
                    ": we will point you to an accessible alternative or give you the content in another form."
                ))
            }
            h2 { (lang.pick("Voies de recours", "Recourse")) }
            p { (lang.pick(
                "Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service, et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des droits :",
                "If you reported an accessibility defect that prevents you from reaching some content or service, and did not get a satisfactory answer, you may refer the matter to the Défenseur des droits (the French rights ombudsman):"
            )) }
            ul {
                li { (lang.pick("par le formulaire en ligne : ", "through the online form: ")) a href="https://formulaire.defenseurdesdroits.fr/" { "formulaire.defenseurdesdroits.fr" } ";" }
                li { (lang.pick("par téléphone : 09 69 39 00 00 ;", "by telephone: +33 9 69 39 00 00;")) }
                li { (lang.pick("auprès d'un délégué du Défenseur des droits près de chez vous : ", "with a delegate of the Défenseur des droits near you: ")) a href="https://www.defenseurdesdroits.fr/carte-des-delegues" { "www.defenseurdesdroits.fr/carte-des-delegues" } ";" }
                li { (lang.pick("par courrier, gratuitement, sans timbre : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.", "by post, free of charge, without a stamp: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07, France.")) }
            }
            h2 { (lang.pick("Voir aussi", "See also")) }
            (see_also(lang, "/accessibilite"))
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// GET /plan-du-site: every public page, then those behind a sign-in.
pub async fn site_map(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let title = lang.pick("Plan du site", "Site map");
    let mut questionnaires: Vec<_> = state.registry.latest_all().collect();
    questionnaires.sort_by(|a, b| a.slug.cmp(&b.slug));
    let markup = page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            h2 { (lang.pick("Pour tout le monde", "For everyone")) }
            ul {
                li { a href="/" { (lang.pick("Accueil", "Home")) } }
                li { a href="/coalitions" { (lang.pick("Les coalitions", "The coalitions")) } (lang.pick(", et la page de chacune", ", and the page of each")) }
                li { (lang.pick("Les questionnaires", "The questionnaires"))
                    ul { @for q in &questionnaires {
                        li { a href={ "/questionnaires/" (q.slug) "/" (q.version) } { (q.title.get(lang)) } }
                    } }
                }
                li { a href="/signin" { (lang.pick("Se connecter", "Sign in")) } }
                li { a href="/signup" { (lang.pick("Créer un compte", "Create an account")) } }
                li { a href="/password/forgot" { (lang.pick("Mot de passe oublié", "Forgotten password")) } }
                @for (path, fr, en) in PAGES {
                    li { a href=(path) { (lang.pick(fr, en)) } }
                }
            }
            h2 { (lang.pick("Une fois connecté·e", "Once signed in")) }
            ul {
                li { a href="/organisations" { (lang.pick("Mes organisations", "My organisations")) }
                    (lang.pick(" : chacune, ses autodiagnostics, leurs liens d'invitation et leurs résultats", ": each one, its self-diagnostics, their invitation links and their results")) }
                li { a href="/organisations/new" { (lang.pick("Inscrire une organisation", "Register an organisation")) } }
                li { a href="/account" { (lang.pick("Mon compte", "My account")) }
                    ul {
                        li { a href="/account/data.json" { (lang.pick("Télécharger mes données", "Download my data")) } }
                        li { a href="/account/delete" { (lang.pick("Supprimer mon compte", "Delete my account")) } }
                    }
                }
                li { (lang.pick("Pour l'équipe du programme : ", "For the programme team: "))
                    a href="/programme" { ("Programme") } ", "
                    a href="/programme/mail" { (lang.pick("Envoi des e-mails", "Outgoing mail")) } ", "
                    a href="/reports" { (lang.pick("Rapports", "Reports")) } }
            }
            h2 { (lang.pick("Pour répondre à un questionnaire", "To answer a questionnaire")) }
            p { (lang.pick(
                "On répond par le lien d'invitation reçu, sans compte : il mène à une introduction, une page par qualité, une relecture, puis ses propres résultats.",
                "One answers through the invitation link received, without an account: it leads to an introduction, one page per quality, a review, then one's own results."
            )) }
        },
    );
    Ok(html_response(StatusCode::OK, markup))
}

/// The other legal pages.
fn see_also(lang: Lang, current: &str) -> Markup {
    html! {
        ul {
            @for (path, fr, en) in PAGES.iter().filter(|(p, _, _)| *p != current) {
                li { a href=(path) { (lang.pick(fr, en)) } }
            }
        }
    }
}
