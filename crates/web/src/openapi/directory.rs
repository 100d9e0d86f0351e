//! The directory in the OpenAPI document: search, eligibility, import and export,
//! archive and delete, versions and the glossary.

use super::{merge, op, schema};
use roadshow_domain::directory::eligibility::{CRITERIA_MAX, FIELDS};
use roadshow_domain::directory::file::RECORDS_MAX;
use roadshow_domain::reference::{BENEFIT_TYPES, INDUSTRIES};
use serde_json::{Value, json};

pub(super) fn add(doc: &mut Value) {
    let obj = json!({"type": "object"});
    let search_params = [
        "search_q",
        "search_lang",
        "search_district",
        "search_sector",
        "search_benefit",
        "search_kind",
        "search_valid_on",
        "search_page",
    ];
    let mut search = op(
        "Search policies, parks and success stories in four languages and across them (a glossary links the languages; German compounds, stems, Chinese words and typos are found). Ranked hits with highlighted snippets in the reader's language (fallback marked) and facet counts; filters combine with the words",
        false,
        &[],
        None,
        200,
        schema("SearchResults"),
        &[400],
    );
    search["parameters"] = json!(
        search_params
            .iter()
            .map(|p| json!({"$ref": format!("#/components/parameters/{p}")}))
            .collect::<Vec<_>>()
    );
    let mut import = op(
        "Import a directory file, all or nothing (organiser): JSON in the directory format, or CSV (text/csv) with one policy per row. Items are matched by external_id (a new version when changed); every error names its record and field (`items[3].criteria[0].field`)",
        true,
        &[],
        Some("DirectoryFile"),
        200,
        schema("ImportOutcome"),
        &[400, 401, 403, 413, 415, 422, 429],
    );
    import["requestBody"]["content"]["text/csv"] = json!({"schema": {"type": "string"}});
    let mut export = op(
        "The organiser's agency's directory as a file (the import's format); `format=csv` gives the policies as CSV",
        true,
        &[],
        None,
        200,
        schema("DirectoryFile"),
        &[401, 403, 422],
    );
    export["parameters"] = json!([{"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["json", "csv"]}}]);
    export["responses"]["200"]["content"]["text/csv"] = json!({"schema": {"type": "string"}});
    let paths = json!({
        "/api/v1/search": {"get": search},
        "/api/v1/eligibility": {
            "post": op("Match a company profile against every current policy: eligible, nearly eligible (each failing criterion and by how much) or not eligible, best fit first, explained in `language` (else Accept-Language), with the parks where the policies apply", false, &[], Some("Profile"), 200, schema("EligibilityResults"), &[400, 413, 415, 422])
        },
        "/api/v1/directory/import": {"post": import},
        "/api/v1/directory/export": {"get": export},
        "/api/v1/directory/{kind}/{id}/archive": {
            "post": op("Archive (or restore with `archived: false`) a policy, park or story of the organiser's agency: kept, but no longer shown, searched or matched", true, &["directory_kind", "id"], Some("ArchiveInput"), 200, obj.clone(), &[400, 401, 403, 404, 415, 422, 429])
        },
        "/api/v1/directory/{kind}/{id}": {
            "delete": op("Delete a policy, park or story and every link to it (sessions, parks, successors, stories)", true, &["directory_kind", "id"], None, 204, obj.clone(), &[401, 403, 404, 429])
        },
        "/api/v1/policies/{id}/versions": {
            "get": op("Every version of a policy, newest first: who changed it, when, which fields, and the policy as it was (organiser)", true, &["id"], None, 200, obj.clone(), &[401, 403, 404])
        },
        "/api/v1/glossary": {
            "get": op("The glossary: the built-in concepts with their words in four languages, and the agency's own words (organiser)", true, &[], None, 200, obj.clone(), &[401, 403]),
            "post": op("Add a word to a concept (a new key makes a new concept); the search index follows at once", true, &[], Some("TermInput"), 201, obj.clone(), &[400, 401, 403, 415, 422, 429])
        },
        "/api/v1/glossary/{id}": {
            "delete": op("Remove one of the agency's glossary words", true, &["id"], None, 204, obj.clone(), &[401, 403, 404, 429])
        }
    });
    let localized = json!({"$ref": "#/components/schemas/Localized"});
    let fields: Vec<&str> = FIELDS.iter().map(|f| f.code()).collect();
    let number = |unit: &str, max: f64| json!({"type": ["number", "null"], "minimum": 0, "maximum": max, "description": unit});
    let schemas = json!({
        "Criterion": {"type": "object", "required": ["field", "op", "value"], "properties": {
            "field": {"type": "string", "enum": fields},
            "op": {"type": "string", "enum": ["gte", "lte", "eq", "one_of", "not_one_of"], "description": "Also accepted: >=, ≥, <=, ≤, =, in, not_in"},
            "value": {"description": "A number (numeric fields), true/false (headquarters), a text or, for one_of/not_one_of, a list of texts"}
        }},
        "Profile": {"type": "object", "properties": {
            "sector": {"type": ["string", "null"], "enum": INDUSTRIES.iter().map(|s| json!(s)).chain(std::iter::once(Value::Null)).collect::<Vec<_>>()},
            "employees": number("Head count", 1e13),
            "annual_revenue_cny": number("Yuan per year", 1e13),
            "planned_investment_cny": number("Yuan, the project's total investment", 1e13),
            "foreign_ownership_pct": number("Per cent of capital held from abroad", 100.0),
            "rd_spending_pct": number("R&D spending as per cent of revenue", 100.0),
            "district": {"type": ["string", "null"], "maxLength": 100, "description": "English name, e.g. Shunyi"},
            "headquarters": {"type": ["boolean", "null"], "description": "A regional headquarters"},
            "years_in_operation": number("Whole years since founding", 1e13),
            "country": {"type": ["string", "null"], "description": "ISO 3166-1 alpha-2 of the parent company"},
            "language": {"type": ["string", "null"], "enum": ["de", "en", "zh", "fr", null]}
        }},
        "EligibilityResults": {"type": "object", "properties": {
            "language": {"type": "string"},
            "counts": {"type": "object", "properties": {"eligible": {"type": "integer"}, "nearly_eligible": {"type": "integer"}, "not_eligible": {"type": "integer"}}},
            "results": {"type": "array", "items": {"type": "object", "properties": {
                "policy": {"type": "object", "properties": {"id": {"type": "integer"}, "slug": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}}},
                "status": {"type": "string", "enum": ["eligible", "nearly_eligible", "not_eligible"]},
                "fit": {"type": "number"},
                "failing": {"type": "array", "items": {"type": "string"}, "description": "Each criterion not met, explained (\"needs employees ≥ 50, you have 35\")"},
                "criteria": {"type": "array", "items": {"type": "object"}},
                "parks": {"type": "array", "items": {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}}}}
            }}}
        }},
        "SearchResults": {"type": "object", "properties": {
            "total": {"type": "integer"}, "page": {"type": "integer"}, "page_size": {"type": "integer"},
            "hits": {"type": "array", "items": {"type": "object", "properties": {
                "kind": {"type": "string", "enum": ["policy", "park", "story"]}, "id": {"type": "integer"}, "slug": {"type": "string"},
                "title": {"type": "string"}, "title_lang": {"type": "string"},
                "snippet": {"type": "string", "description": "HTML: the text escaped, the words found in <mark>"}, "snippet_lang": {"type": "string"},
                "fallback": {"type": "boolean", "description": "Not in the reader's language"}, "score": {"type": "number"}, "url": {"type": "string"},
                "expired": {"type": "boolean"}, "successor": {"type": ["integer", "null"]}, "district": {"type": ["string", "null"]},
                "sectors": {"type": "array", "items": {"type": "string"}}, "benefits": {"type": "array", "items": {"type": "string"}}
            }}},
            "facets": {"type": "object", "properties": {
                "district": {"type": "object", "additionalProperties": {"type": "integer"}},
                "sector": {"type": "object", "additionalProperties": {"type": "integer"}},
                "benefit": {"type": "object", "additionalProperties": {"type": "integer"}},
                "kind": {"type": "object", "additionalProperties": {"type": "integer"}}
            }}
        }},
        "DirectoryRecord": {"type": "object", "required": ["external_id", "kind"], "properties": {
            "external_id": {"type": "string", "maxLength": 100}, "kind": {"type": "string", "enum": ["policy", "park", "story"]},
            "slug": {"type": "string", "maxLength": 80}, "title": localized.clone(), "summary": localized.clone(), "body": localized.clone(), "issuing_body": localized.clone(),
            "district": {"description": "A name (taken as English) or names per language"},
            "sectors": {"type": "array", "items": {"type": "string", "enum": INDUSTRIES}}, "benefit_types": {"type": "array", "items": {"type": "string", "enum": BENEFIT_TYPES}},
            "valid_from": {"type": "string", "format": "date"}, "valid_until": {"type": "string", "format": "date"}, "source_url": {"type": "string", "format": "uri"},
            "parks": {"type": "array", "items": {"type": "string"}, "description": "External ids of parks"},
            "criteria": {"type": "array", "maxItems": CRITERIA_MAX, "items": schema("Criterion")},
            "successor": {"type": "string", "description": "External id of the policy that replaces it"},
            "area_km2": {"type": "number"}, "address": {"type": "string"}, "latitude": {"type": "number"}, "longitude": {"type": "number"},
            "website": {"type": "string"}, "contact": {"type": "string"}, "company_name": {"type": "string"}, "country": {"type": "string"}, "sample": {"type": "boolean"}
        }},
        "DirectoryFile": {"type": "object", "required": ["items"], "properties": {
            "format": {"type": "string", "const": "roadshow-directory"}, "version": {"type": "integer"},
            "items": {"type": "array", "maxItems": RECORDS_MAX, "items": schema("DirectoryRecord")}
        }},
        "ImportOutcome": {"type": "object", "properties": {"created": {"type": "integer"}, "updated": {"type": "integer"}, "unchanged": {"type": "integer"}}},
        "ArchiveInput": {"type": "object", "properties": {"archived": {"type": "boolean", "default": true}}},
        "TermInput": {"type": "object", "required": ["concept", "lang", "term"], "properties": {"concept": {"type": "string", "maxLength": 100}, "lang": {"type": "string", "enum": ["de", "en", "zh", "fr"]}, "term": {"type": "string", "maxLength": 100}}}
    });
    merge(doc, paths, schemas);
    let text = |name: &str, description: &str| json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}});
    let parameters = json!({
        "search_q": {"name": "q", "in": "query", "required": false, "description": "The words; any text up to 200 characters", "schema": {"type": "string", "maxLength": 200}},
        "search_lang": {"name": "lang", "in": "query", "required": false, "description": "The reader's language for titles and snippets (default: Accept-Language)", "schema": {"type": "string", "enum": ["de", "en", "zh", "fr"]}},
        "search_district": text("district", "A district's key (its English name, e.g. Shunyi)"),
        "search_sector": text("sector", "An industry code"),
        "search_benefit": text("benefit", "A benefit code (tax, subsidy, land, talent, finance, market-access)"),
        "search_kind": {"name": "kind", "in": "query", "required": false, "schema": {"type": "string", "enum": ["policy", "park", "story"]}},
        "search_valid_on": {"name": "valid_on", "in": "query", "required": false, "description": "Only policies valid on this day", "schema": {"type": "string", "format": "date"}},
        "search_page": {"name": "page", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
        "directory_kind": {"name": "kind", "in": "path", "required": true, "schema": {"type": "string", "enum": ["policies", "parks", "stories"]}}
    });
    if let (Some(p), Value::Object(new)) =
        (doc["components"]["parameters"].as_object_mut(), parameters)
    {
        p.extend(new);
    }
}
