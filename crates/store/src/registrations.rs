//! Registrations with their participants and companies.

use crate::outbox::insert_email;
use crate::rows::{flag, get, json, time, to_json};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use chrono::DateTime;
use roadshow_domain::Lang;
use roadshow_domain::ids::*;

use roadshow_domain::registrations::*;
use roadshow_domain::signals::{NewSignal, SignalKind};
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

const REGISTRATION_SELECT: &str = "SELECT r.id, r.event_id, r.participant_id, r.company_id, r.consent_at, r.consent_version, r.answers, r.created_at, \
     p.email AS p_email, p.name AS p_name, p.job_title AS p_job_title, p.language AS p_language, p.erased_at AS p_erased_at, \
     c.name AS c_name, c.country AS c_country, c.industry AS c_industry, c.size AS c_size, c.website AS c_website, c.is_sample AS c_is_sample \
     FROM registrations r JOIN participants p ON p.id = r.participant_id JOIN companies c ON c.id = r.company_id";

/// A registration row joined with its participant (`p_`) and company (`c_`) columns.
fn registration_row(row: &AnyRow) -> StoreResult<Registration> {
    let language: String = get(row, "p_language")?;
    Ok(Registration {
        id: RegistrationId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        participant_id: ParticipantId(get(row, "participant_id")?),
        email: get(row, "p_email")?,
        name: get(row, "p_name")?,
        job_title: get(row, "p_job_title")?,
        language: language.parse().unwrap_or(Lang::En),
        company: Company {
            id: CompanyId(get(row, "company_id")?),
            name: get(row, "c_name")?,
            country: get(row, "c_country")?,
            industry: get(row, "c_industry")?,
            size: get(row, "c_size")?,
            website: get(row, "c_website")?,
            is_sample: flag(row, "c_is_sample")?,
        },
        consent_at: time(row, "consent_at")?,
        consent_version: get(row, "consent_version")?,
        answers: json(row, "answers")?,
        created_at: time(row, "created_at")?,
        erased: get::<Option<i64>>(row, "p_erased_at")?.is_some(),
    })
}

#[async_trait]
impl RegistrationStore for SqlStore {
    async fn create_registrations(
        &self,
        batch: &[NewRegistration<'_>],
    ) -> StoreResult<Vec<StoreResult<Registration>>> {
        let t = now();
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let mut results = Vec::with_capacity(batch.len());
        for n in batch {
            // A savepoint each, so that one refused registration (already registered)
            // leaves the others in the transaction.
            let mut one = sqlx::Acquire::begin(&mut *tx)
                .await
                .map_err(backend_error)?;
            match insert_registration(&mut one, n, t).await {
                Ok(r) => {
                    one.commit().await.map_err(backend_error)?;
                    results.push(Ok(r));
                }
                Err(e) => {
                    one.rollback().await.map_err(backend_error)?;
                    results.push(Err(e));
                }
            }
        }
        tx.commit().await.map_err(backend_error)?;
        Ok(results)
    }

    async fn registrations(
        &self,
        event: EventId,
        filter: &RegistrationFilter,
    ) -> StoreResult<Vec<Registration>> {
        let Some(search) = &filter.search else {
            let limit = filter.limit.unwrap_or(WHOLE_EVENT);
            return registrations_after(self, event, filter, filter.after, limit).await;
        };
        // Searched here rather than in SQL: SQLite's LOWER folds only ASCII, and both
        // databases must find "MÜLLER" for "müller". Read in chunks after the cursor until
        // the page is full, so a search holds one chunk at a time, not the event.
        let needle = search.to_lowercase();
        let wanted = filter.limit.unwrap_or(WHOLE_EVENT);
        let mut found = Vec::new();
        let mut after = filter.after;
        loop {
            let chunk = registrations_after(self, event, filter, after, SEARCH_CHUNK).await?;
            let last = chunk.last().map(|r| r.id);
            let complete = chunk.len() < SEARCH_CHUNK;
            found.extend(chunk.into_iter().filter(|r| {
                [&r.name, &r.email, &r.company.name]
                    .iter()
                    .any(|v| v.to_lowercase().contains(&needle))
            }));
            if found.len() >= wanted || complete || last.is_none() {
                found.truncate(wanted);
                return Ok(found);
            }
            after = last;
        }
    }

    async fn registration_counts(&self, event: EventId) -> StoreResult<RegistrationCounts> {
        let mut counts = RegistrationCounts::default();
        for (column, target) in [("country", 0), ("industry", 1)] {
            let rows = sqlx::query(&format!(
                "SELECT c.{column} AS k, COUNT(*) AS n FROM registrations r JOIN companies c ON c.id = r.company_id WHERE r.event_id = $1 GROUP BY c.{column} ORDER BY n DESC, k"
            ))
            .bind(event.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
            let list = rows
                .iter()
                .map(|row| Ok((get::<String>(row, "k")?, get::<i64>(row, "n")?)))
                .collect::<StoreResult<Vec<_>>>()?;
            if target == 0 {
                counts.total = list.iter().map(|(_, n)| n).sum();
                counts.by_country = list;
            } else {
                counts.by_industry = list;
            }
        }
        Ok(counts)
    }

    async fn registration(&self, id: RegistrationId) -> StoreResult<Option<Registration>> {
        self.one(&format!("{REGISTRATION_SELECT} WHERE r.id = $1"), |q| {
            q.bind(id.0)
        })
        .await?
        .map(|r| registration_row(&r))
        .transpose()
    }

    async fn registrations_by_id(&self, ids: &[RegistrationId]) -> StoreResult<Vec<Registration>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{REGISTRATION_SELECT} WHERE r.id IN ({})", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id.0);
        }
        q.fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(registration_row)
            .collect()
    }

    async fn registration_by_token(&self, token_hash: &str) -> StoreResult<Option<Registration>> {
        self.one(
            &format!("{REGISTRATION_SELECT} WHERE r.token_hash = $1"),
            |q| q.bind(token_hash.to_string()),
        )
        .await?
        .map(|r| registration_row(&r))
        .transpose()
    }
}

/// The agency's company for `company`: the one with the same website domain, else the one
/// with the same name key and country (made when missing), followed to the company it
/// was merged into.
pub(crate) async fn upsert_company(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    agency: AgencyId,
    company: &CompanyDraft,
    is_sample: bool,
    t: i64,
) -> StoreResult<i64> {
    let sample = i64::from(is_sample);
    let domain = company
        .website
        .as_deref()
        .and_then(roadshow_domain::leads::companies::website_domain);
    // The same website domain is the same company, whatever name its people typed.
    let by_domain: Option<i64> = match &domain {
        Some(d) => sqlx::query_scalar(
            "SELECT COALESCE(merged_into, id) FROM companies WHERE agency_id = $1 AND domain = $2 ORDER BY id LIMIT 1",
        )
        .bind(agency.0)
        .bind(d.clone())
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend_error)?,
        None => None,
    };
    let company_id: i64 = match by_domain {
        Some(id) => id,
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO companies (agency_id, name, name_key, country, industry, size, website, domain, is_sample, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (agency_id, name_key, country) DO UPDATE SET name = excluded.name, industry = excluded.industry, size = excluded.size, website = COALESCE(excluded.website, companies.website), domain = COALESCE(excluded.domain, companies.domain) RETURNING id",
            )
            .bind(agency.0)
            .bind(&company.name)
            .bind(roadshow_domain::leads::companies::company_key(&company.name))
            .bind(&company.country)
            .bind(&company.industry)
            .bind(&company.size)
            .bind(company.website.clone())
            .bind(domain)
            .bind(sample)
            .bind(t)
            .fetch_one(&mut **tx)
            .await
            .map_err(backend_error)?;
            // A company merged into another registers as the one it was merged into.
            sqlx::query_scalar("SELECT COALESCE(merged_into, id) FROM companies WHERE id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await
                .map_err(backend_error)?
        }
    };
    Ok(company_id)
}

/// One registration with its participant, company and email, inside `tx`.
async fn insert_registration(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    n: &NewRegistration<'_>,
    t: i64,
) -> StoreResult<Registration> {
    let (event, r, is_sample) = (n.event, n.draft, n.is_sample);
    let sample = i64::from(is_sample);
    let company_id = upsert_company(tx, event.agency_id, &r.company, is_sample, t).await?;
    let participant_id: i64 = sqlx::query_scalar(
            "INSERT INTO participants (agency_id, company_id, email, name, job_title, language, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (agency_id, email) DO UPDATE SET company_id = excluded.company_id, name = excluded.name, job_title = excluded.job_title, language = excluded.language RETURNING id",
        )
        .bind(event.agency_id.0)
        .bind(company_id)
        .bind(r.email.as_str())
        .bind(&r.name)
        .bind(r.job_title.clone())
        .bind(r.language.code())
        .bind(t)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
    let id: i64 = sqlx::query_scalar(
            "INSERT INTO registrations (event_id, participant_id, company_id, token_hash, consent_at, consent_version, answers, is_sample, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(event.id.0)
        .bind(participant_id)
        .bind(company_id)
        .bind(n.token_hash)
        .bind(t)
        .bind(&r.consent_version)
        .bind(to_json(&r.answers)?)
        .bind(sample)
        .bind(t)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
    crate::privacy::record_consents(
        tx,
        ParticipantId(participant_id),
        &r.consents,
        roadshow_domain::privacy::NOTICE_VERSION,
        t,
    )
    .await?;
    // The first signal of the company's timeline, written with the registration.
    let first = NewSignal {
        participant_id: ParticipantId(participant_id),
        event_id: event.id,
        kind: SignalKind::Registered,
        ref_id: id,
        amount: 0,
        at: DateTime::from_timestamp(t, 0).ok_or_else(|| crate::rows::corrupt("created_at", t))?,
    };
    crate::signals::insert(&mut **tx, &first, crate::signals::conflict(first.kind)).await?;
    insert_email(tx, Some(event.agency_id), n.confirmation, n.email_status).await?;
    crate::webhooks::enqueue(
        tx,
        crate::webhooks::Audience::Agency(event.agency_id),
        roadshow_domain::webhooks::EventType::RegistrationCreated,
        serde_json::json!({"event_id": event.id.0, "registration_id": id, "participant_id": participant_id, "company_id": company_id}),
    )
    .await?;
    let at = first.at;
    Ok(Registration {
        id: RegistrationId(id),
        event_id: event.id,
        participant_id: ParticipantId(participant_id),
        email: r.email.as_str().to_string(),
        name: r.name.clone(),
        job_title: r.job_title.clone(),
        language: r.language,
        company: Company {
            id: CompanyId(company_id),
            name: r.company.name.clone(),
            country: r.company.country.clone(),
            industry: r.company.industry.clone(),
            size: r.company.size.clone(),
            website: r.company.website.clone(),
            is_sample,
        },
        consent_at: at,
        consent_version: r.consent_version.clone(),
        answers: r.answers.clone(),
        created_at: at,
        erased: false,
    })
}

/// The most registrations read at once for a whole event (exports, the scheduler); far
/// above any event's size, so that a runaway query stays bounded.
const WHOLE_EVENT: usize = 20_000;
/// Registrations read at a time while searching.
const SEARCH_CHUNK: usize = 1_000;

/// The event's registrations after `after` by id, filtered by country and industry.
async fn registrations_after(
    store: &SqlStore,
    event: EventId,
    filter: &RegistrationFilter,
    after: Option<RegistrationId>,
    limit: usize,
) -> StoreResult<Vec<Registration>> {
    let mut sql = format!("{REGISTRATION_SELECT} WHERE r.event_id = $1 AND r.id > $2");
    if !filter.ids.is_empty() {
        // Numbers, not text: written into the query, not bound.
        let ids: Vec<String> = filter.ids.iter().map(|i| i.0.to_string()).collect();
        sql.push_str(&format!(" AND r.id IN ({})", ids.join(",")));
    }
    if !filter.participants.is_empty() {
        // Numbers, not text: written into the query, not bound.
        let ids: Vec<String> = filter
            .participants
            .iter()
            .map(|i| i.0.to_string())
            .collect();
        sql.push_str(&format!(" AND r.participant_id IN ({})", ids.join(",")));
    }
    if let Some(participant) = filter.participant {
        // A number, not text: written into the query, not bound.
        sql.push_str(&format!(" AND r.participant_id = {}", participant.0));
    }
    let mut binds: Vec<String> = Vec::new();
    if let Some(country) = &filter.country {
        binds.push(country.clone());
        sql.push_str(&format!(" AND c.country = ${}", binds.len() + 2));
    }
    if let Some(industry) = &filter.industry {
        binds.push(industry.clone());
        sql.push_str(&format!(" AND c.industry = ${}", binds.len() + 2));
    }
    sql.push_str(&format!(" ORDER BY r.id LIMIT ${}", binds.len() + 3));
    let mut query = sqlx::query(&sql)
        .bind(event.0)
        .bind(after.map_or(0, |a| a.0));
    for value in binds {
        query = query.bind(value);
    }
    query
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&store.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(registration_row)
        .collect()
}
