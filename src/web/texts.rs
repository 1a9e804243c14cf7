//! The interface's fixed strings, one struct, one value per language.
//!
//! A string is a field: adding one without its translation does not compile, and the unit
//! test below checks that none is empty or left untranslated by mistake.

use crate::domain::i18n::Lang;

/// Declares the struct of strings and a list of its fields by name, for the tests.
macro_rules! texts_struct {
    ($($field:ident),+ $(,)?) => {
        pub struct Texts {
            $(pub $field: &'static str,)+
        }

        impl Texts {
            /// Every string with its field name.
            pub fn fields(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), self.$field),)+]
            }
        }
    };
}

texts_struct! {
    site_name,
    tagline,
    skip_to_content,
    language_switch_label,
    main_navigation,
    home,
    footer_licence,
    footer_source,
    intro_title,
    intro_body,
    qualities_title,
    dimensions_title,
    questionnaires_title,
    questionnaires_intro,
    no_questionnaire,
    audience,
    version,
    versions,
    scored_questions,
    time_needed,
    minutes,
    licence,
    responses_submitted,
    see_questions,
    figures_title,
    figures_organisations,
    figures_coalitions,
    figures_responses,
    questionnaire_roles,
    questionnaire_by_quality,
    why_it_matters,
    kind_scale,
    kind_single,
    kind_multiple,
    kind_yes_no,
    kind_number,
    kind_text,
    weight,
    not_applicable_allowed,
    not_applicable_justified,
    previous_version,
    continues,
    back_to_home,
    error_title,
}

pub static FR: Texts = Texts {
    site_name: "#RESET — autodiagnostic et évaluation",
    tagline: "Transformer le numérique : où en sommes-nous, et que faire ensuite ?",
    skip_to_content: "Aller au contenu",
    language_switch_label: "Langue",
    main_navigation: "Navigation principale",
    home: "Accueil",
    footer_licence: "Les questionnaires et les données ouvertes du programme sont publiés sous licence CC BY 4.0.",
    footer_source: "Logiciel libre reset-eval.",
    intro_title: "Un autodiagnostic pour le numérique que nous voulons",
    intro_body: "Territoires, organisations et coalitions du programme #RESET évaluent ici leur numérique au regard des 7 qualités du numérique que nous voulons, sur les 3 dimensions où l'on peut agir. Plusieurs personnes d'une même organisation répondent ; les résultats montrent où elle en est, où les avis divergent, et quoi faire ensuite.",
    qualities_title: "Les 7 qualités",
    dimensions_title: "Les 3 dimensions où agir",
    questionnaires_title: "Les questionnaires",
    questionnaires_intro: "Chaque questionnaire est versionné : une version déjà utilisée ne change plus, et les réponses sont toujours calculées avec la version sur laquelle elles ont été données.",
    no_questionnaire: "Aucun questionnaire n'est publié pour l'instant.",
    audience: "Public",
    version: "Version",
    versions: "Versions :",
    scored_questions: "Questions notées",
    time_needed: "Durée",
    minutes: "min environ",
    licence: "Licence",
    responses_submitted: "Réponses envoyées",
    see_questions: "Voir les questions",
    figures_title: "Le programme en chiffres",
    figures_organisations: "organisations et territoires",
    figures_coalitions: "coalitions",
    figures_responses: "réponses envoyées",
    questionnaire_roles: "Qui répond",
    questionnaire_by_quality: "Les questions, qualité par qualité",
    why_it_matters: "Pourquoi c'est important :",
    kind_scale: "échelle",
    kind_single: "choix unique",
    kind_multiple: "choix multiples",
    kind_yes_no: "oui / non",
    kind_number: "nombre",
    kind_text: "texte libre, non noté",
    weight: "poids",
    not_applicable_allowed: "« non applicable » possible",
    not_applicable_justified: "« non applicable » possible, avec justification",
    previous_version: "Version précédente",
    continues: "prolonge",
    back_to_home: "Retour à l'accueil",
    error_title: "Erreur",
};

pub static EN: Texts = Texts {
    site_name: "#RESET — self-diagnostic and evaluation",
    tagline: "Transforming the digital: where do we stand, and what next?",
    skip_to_content: "Skip to content",
    language_switch_label: "Language",
    main_navigation: "Main navigation",
    home: "Home",
    footer_licence: "The programme's questionnaires and open data are published under the CC BY 4.0 licence.",
    footer_source: "reset-eval free software.",
    intro_title: "A self-diagnostic for the digital we want",
    intro_body: "Territories, organisations and coalitions of the #RESET programme assess their digital practice here against the 7 qualities of the digital we want, across the 3 dimensions on which one can act. Several people of one organisation answer; the results show where it stands, where views differ, and what to do next.",
    qualities_title: "The 7 qualities",
    dimensions_title: "The 3 dimensions on which to act",
    questionnaires_title: "Questionnaires",
    questionnaires_intro: "Every questionnaire is versioned: a version once used never changes, and responses are always scored with the version they were given on.",
    no_questionnaire: "No questionnaire is published yet.",
    audience: "Audience",
    version: "Version",
    versions: "Versions:",
    scored_questions: "Scored questions",
    time_needed: "Time needed",
    minutes: "min or so",
    licence: "Licence",
    responses_submitted: "Responses submitted",
    see_questions: "See the questions",
    figures_title: "The programme in figures",
    figures_organisations: "organisations and territories",
    figures_coalitions: "coalitions",
    figures_responses: "responses submitted",
    questionnaire_roles: "Who answers",
    questionnaire_by_quality: "The questions, quality by quality",
    why_it_matters: "Why it matters:",
    kind_scale: "scale",
    kind_single: "single choice",
    kind_multiple: "multiple choice",
    kind_yes_no: "yes / no",
    kind_number: "number",
    kind_text: "free text, unscored",
    weight: "weight",
    not_applicable_allowed: "\"not applicable\" allowed",
    not_applicable_justified: "\"not applicable\" allowed, with a justification",
    previous_version: "Previous version",
    continues: "continues",
    back_to_home: "Back to home",
    error_title: "Error",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_exists_in_both_languages_and_none_is_empty() {
        for ((name, fr), (_, en)) in FR.fields().into_iter().zip(EN.fields()) {
            assert!(!fr.trim().is_empty(), "{name} is empty in French");
            assert!(!en.trim().is_empty(), "{name} is empty in English");
            // The same string in both languages usually means a forgotten translation.
            assert!(
                fr != en
                    || ["version", "versions", "licence", "figures_coalitions"].contains(&name),
                "{name} is not translated: {fr:?}"
            );
        }
    }
}
