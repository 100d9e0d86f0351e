//! What officers send about leads: filters, a new lead, its project, stage, tasks and the assignment rules.

use super::*;

/// A lead's filters, as the list, the board and the export take them.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    #[param(schema_with = stage_filter)]
    pub stage: Option<String>,
    /// `mine`, `pool`, `all`, or an account id.
    #[param(schema_with = owner_filter)]
    pub owner: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[param(schema_with = line)]
    pub country: Option<String>,
    #[param(schema_with = line)]
    pub sector: Option<String>,
    #[param(schema_with = line)]
    pub district: Option<String>,
    #[param(schema_with = min_score)]
    pub min_score: Option<String>,
    /// Only leads whose next step is past due.
    #[param(schema_with = overdue)]
    pub overdue: Option<String>,
    /// Part of the company's name.
    #[param(schema_with = line)]
    pub company: Option<String>,
    /// 1 and up; 50 a page.
    #[param(schema_with = page)]
    pub page: Option<String>,
}

/// A lead added by hand: an existing company of the agency by `company_id`, or a new
/// `company`; not both.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLeadInput {
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub company_id: Option<i64>,
    /// The new company (when no `company_id` is given).
    #[serde(default)]
    pub company: Option<CompanyInput>,
}

impl From<NewLeadInput> for domain::NewLeadInput {
    fn from(i: NewLeadInput) -> Self {
        let company_sent = i.company.is_some();
        let company = i.company.unwrap_or_default();
        domain::NewLeadInput {
            company_id: i.company_id,
            company: roadshow_domain::registrations::CompanyInput {
                name: company.name,
                country: company.country,
                industry: company.industry,
                size: company.size,
                website: company.website,
            },
            company_sent,
        }
    }
}

/// A lead's project and owner, replaced whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    #[serde(default)]
    #[schema(value_type = Option<IndustryCode>)]
    pub sector: Option<String>,
    #[serde(default)]
    #[schema(schema_with = activity)]
    pub activity: Option<String>,
    #[serde(default)]
    #[schema(schema_with = capex)]
    pub capex_cny: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = jobs)]
    pub jobs: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = district)]
    pub target_district: Option<String>,
    /// A park of the agency.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub target_park_id: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = short_text)]
    pub next_step: Option<String>,
    #[serde(default)]
    #[schema(schema_with = schema::optional_date)]
    pub next_step_due: Option<String>,
    #[serde(default)]
    #[schema(schema_with = notes)]
    pub notes: Option<String>,
    /// An investment officer or organiser of the agency.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub owner_id: Option<i64>,
    /// The day the investment contract was signed.
    #[serde(default)]
    #[schema(schema_with = schema::optional_date)]
    pub signed_on: Option<String>,
    /// The day operations started; not before `signed_on`.
    #[serde(default)]
    #[schema(schema_with = schema::optional_date)]
    pub started_on: Option<String>,
    /// Capital actually in place, CNY.
    #[serde(default)]
    #[schema(schema_with = capex)]
    pub realised_capex_cny: Option<i64>,
    /// Jobs actually created.
    #[serde(default)]
    #[schema(schema_with = jobs)]
    pub realised_jobs: Option<i64>,
}

impl From<ProjectInput> for domain::ProjectInput {
    fn from(i: ProjectInput) -> Self {
        domain::ProjectInput {
            sector: i.sector,
            activity: i.activity,
            capex_cny: i.capex_cny,
            jobs: i.jobs,
            target_district: i.target_district,
            target_park_id: i.target_park_id,
            next_step: i.next_step,
            next_step_due: i.next_step_due,
            notes: i.notes,
            owner_id: i.owner_id,
            signed_on: i.signed_on,
            started_on: i.started_on,
            realised_capex_cny: i.realised_capex_cny,
            realised_jobs: i.realised_jobs,
        }
    }
}

/// A move to another stage; `lost` needs its reason.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    #[serde(default)]
    #[schema(schema_with = stage, required = true)]
    pub stage: Option<String>,
    /// Required for `lost`.
    #[serde(default)]
    #[schema(schema_with = short_text)]
    pub lost_reason: Option<String>,
}

impl From<StageInput> for domain::StageInput {
    fn from(i: StageInput) -> Self {
        domain::StageInput {
            stage: i.stage,
            lost_reason: i.lost_reason,
        }
    }
}

/// A task on a lead.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    #[serde(default)]
    #[schema(schema_with = title, required = true)]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(schema_with = schema::date, required = true)]
    pub due_on: Option<String>,
    /// An officer of the agency; default the caller.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub assignee_id: Option<i64>,
}

impl From<TaskInput> for domain::TaskInput {
    fn from(i: TaskInput) -> Self {
        domain::TaskInput {
            title: i.title,
            due_on: i.due_on,
            assignee_id: i.assignee_id,
        }
    }
}

/// A task done, or open again.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDone {
    #[serde(default)]
    #[schema(required = true, nullable = false)]
    pub done: Option<bool>,
}

/// A rule as an organiser writes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    #[serde(default)]
    #[schema(schema_with = rule_field, required = true)]
    pub field: Option<String>,
    /// An industry code, a district code or a country code, by `field`.
    #[serde(default)]
    #[schema(schema_with = rule_value, required = true)]
    pub value: Option<String>,
    /// An investment officer or organiser of the agency.
    #[serde(default)]
    #[schema(schema_with = schema::id, required = true)]
    pub owner_id: Option<i64>,
}

/// The whole rule list, replaced.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesInput {
    /// Left out: none.
    #[serde(default)]
    #[schema(schema_with = rules)]
    pub rules: Vec<RuleInput>,
}

impl RulesInput {
    pub fn into_domain(self) -> Vec<domain::RuleInput> {
        self.rules
            .into_iter()
            .map(|r| domain::RuleInput {
                field: r.field,
                value: r.value,
                owner_id: r.owner_id,
            })
            .collect()
    }
}

pub(super) fn stage_filter() -> Object {
    schema::one_of_or_empty(&codes(Stage::ALL, Stage::code))
}

pub(super) fn bounded(max: i64) -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .minimum(Some(0))
        .maximum(Some(max))
        .build()
}

pub(super) fn capex() -> Object {
    bounded(MAX_CAPEX)
}

pub(super) fn jobs() -> Object {
    bounded(MAX_JOBS)
}

pub(super) fn owner_filter() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^(|mine|pool|all|[0-9]{1,18})$"))
        .build()
}

pub(super) fn min_score() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^(-?[0-9]{1,18})?$"))
        .description(Some("A whole number; empty for none"))
        .build()
}

pub(super) fn overdue() -> Object {
    schema::one_of_or_empty(&["0", "1", "false", "true"])
}

pub(super) fn page() -> Object {
    schema::page(crate::leads::PAGE_MAX)
}
