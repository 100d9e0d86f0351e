//! Names for the report's codes in the reader's language: countries, industries, sizes,
//! the survey's lists, lead stages, departments, and each figure's definition.

use roadshow_domain::Lang;
use roadshow_domain::countries::COUNTRIES;
use roadshow_domain::departments::Department;
use roadshow_domain::events::FormField;
use roadshow_domain::ids::DepartmentId;
use roadshow_i18n::{ArgValue, Catalogue, t, t_with};

pub struct Labels<'a> {
    pub lang: Lang,
    pub departments: &'a [Department],
    /// The registration form's fields, for the names of its answers.
    pub fields: &'a [FormField],
}

impl<'a> Labels<'a> {
    /// The names of `view`'s departments and form fields in `lang`.
    pub fn of(view: &'a roadshow_app::reports::EventReport, lang: Lang) -> Self {
        Labels {
            lang,
            departments: &view.departments,
            fields: &view.page.event.form_fields,
        }
    }

    /// The catalogue's text for the first of `keys` it has, else `fallback`.
    fn first(&self, keys: &[String], fallback: &str) -> String {
        keys.iter()
            .find(|k| Catalogue::get().has(Lang::En, k))
            .map(|k| t(self.lang, k))
            .unwrap_or_else(|| fallback.to_string())
    }

    /// The name of `code` in a list of `kind` (`country`, `industry`, `size`, `interest`,
    /// `investment`, `timeline`, `district`, `stage`, `source`, `language`).
    pub fn label(&self, kind: &str, code: &str) -> String {
        let prefix = match kind {
            "country" => {
                return COUNTRIES
                    .iter()
                    .find(|c| c.code.eq_ignore_ascii_case(code))
                    .map(|c| match self.lang {
                        Lang::De => c.de,
                        Lang::En => c.en,
                        Lang::Fr => c.fr,
                        Lang::Zh => c.zh,
                    })
                    .unwrap_or(code)
                    .to_string();
            }
            "language" => {
                return code
                    .parse::<Lang>()
                    .map(|l| l.endonym().to_string())
                    .unwrap_or_else(|_| code.to_string());
            }
            "interest" | "investment" | "timeline" => {
                return crate::surveys::wording::choice_label(kind, code, self.lang);
            }
            "stage" => "lead-stage".to_string(),
            "source" => "lead-source".to_string(),
            "industry" | "size" | "district" => kind.to_string(),
            _ => return code.to_string(),
        };
        self.first(
            &[
                format!("{prefix}-{code}"),
                format!("{prefix}-{}", code.replace('_', "-")),
            ],
            code,
        )
    }

    /// The registration form's field `key` by its label.
    pub fn field(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label.get(self.lang).to_string())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| key.to_string())
    }

    /// The name of the answer `code` to the registration form's field `key`.
    pub fn answer(&self, key: &str, code: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| f.options.iter().find(|o| o.key == code))
            .map(|o| o.label.get(self.lang).to_string())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| code.to_string())
    }

    /// A department's name, or "not routed" for questions without one.
    pub fn department(&self, id: Option<DepartmentId>) -> String {
        match id {
            None => t(self.lang, "report-not-routed"),
            Some(id) => self
                .departments
                .iter()
                .find(|d| d.id == id)
                .map(|d| d.name.get(self.lang).to_string())
                .unwrap_or_default(),
        }
    }

    /// The rule of the figure `name`, with the event's "attended" threshold.
    pub fn definition(&self, name: &str, attended_minutes: i64) -> String {
        t_with(
            self.lang,
            &format!("report-def-{}", name.replace('_', "-")),
            &[("minutes", ArgValue::Number(attended_minutes as f64))],
        )
    }
}
