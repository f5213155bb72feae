//! The request record of `GET request/{pk}`, in the RA's shape (GH1/GH2 examples): the fields the
//! simulator knows, and every other documented RA field as `null`.

use super::model::Request;
use serde_json::{Map, Value, json};

/// RA fields the examples show that the simulator has no data for.
const NULL_FIELDS: &[&str] = &[
    "citizen_tax_number",
    "organization_rol",
    "birth_country",
    "birth_city",
    "residence_state",
    "title",
    "ext_recognition_data",
    "process_application",
    "birth_province",
    "birth_state",
    "id_document_number",
    "smartcard_sn",
    "organization_state",
    "responsible_legal_documents",
    "id_document_issuer",
    "organization_address",
    "provider_registration_number",
    "sex",
    "description",
    "organization_tax_number",
    "administrative_unit",
    "organization_name",
    "organization_country",
    "producing_user",
    "responsible_second_surname",
    "responsible_name",
    "professional_id_number",
    "responsible_legal_level",
    "residence_district",
    "entity_owner_serial_number",
    "id_responsible_document_type",
    "subscriber_responsible_serial",
    "organization_city",
    "fix_phone_number",
    "id_responsible_document_number",
    "registration",
    "organization_province",
    "organization_identifier",
    "subscriber",
    "birth_canton",
    "responsible_serial",
    "empowerment",
    "responsible_registry_data",
    "id_responsible_document_country",
    "entity_owner",
    "circumstances",
    "responsible_position",
    "producing_rao",
    "organization_email",
    "limit",
    "residence_canton",
    "citizenship",
    "organizational_unit_3",
    "organizational_unit_2",
    "organizational_unit_1",
    "organization_postal_code",
    "responsible_email",
    "id_responsible_document_issuer",
    "organization_url",
    "id_document_description",
    "residence_province",
    "responsible_first_surname",
    "complement_number",
    "birth_district",
    "representation",
    "residence",
    "residence_city",
    "residence_postal_code",
    "residence_address",
    "special_conditions",
];

/// RA ids are numbers in the records; keep anything else as text.
pub fn ra_value(ra: &str) -> Value {
    ra.parse::<u64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::from(ra))
}

/// The record of `request`.
pub fn record(request: &Request) -> Value {
    let id = &request.identity;
    let ra = ra_value(&request.registration_authority);
    let user = json!({"pk": request.rao_id, "request": request.pk, "permission_profile": 1, "registration_authority": ra});
    let certificate_set: Vec<Value> = request
        .certificate
        .iter()
        .map(|c| {
            json!({
                "serial_number": c.serial_number, "status": "VALID", "valid_from": c.valid_from,
                "valid_to": c.valid_to, "subject": c.subject, "issuer": c.issuer, "data": c.der_b64,
            })
        })
        .collect();
    let mut map = Map::new();
    for key in NULL_FIELDS {
        map.insert((*key).to_string(), Value::Null);
    }
    for (key, value) in &request.extra_fields {
        map.insert(key.clone(), Value::from(value.clone()));
    }
    let approving_rao = json!({
        "pk": request.rao_id,
        "given_name": "Practice",
        "surname_1": "Operator",
        "surname_2": "",
        "id_document_number": request.rao_username,
        "id_document_issuer": "",
        "id_document_description": "",
        "is_identificator": false,
        "registration_authority": [],
        "registration_authority_master": ra,
        "certificate": {
            "profile": "PFnubeAF", "status": 0, "valid": "VALID", "revokation_reason": null,
            "serial_number": "", "valid_from": "", "valid_to": "",
            "issuer": "CN=OneShot Simulator CA", "subject": format!("CN=RAO {}", request.rao_username),
            "data": "",
        },
    });
    let known = json!({
        "approving_rao": approving_rao,
        "pk": request.pk,
        "status": request.status.as_str(),
        "given_name": id.given_name,
        "surname_1": id.surname_1,
        "surname_2": id.surname_2.clone().unwrap_or_default(),
        "email": id.email,
        // Records show the number without its "+" (GH2 example "34600123123").
        "mobile_phone_number": id.mobile_phone_number.trim_start_matches('+'),
        "serial_number": id.serial_number,
        "id_document_type": id.id_document_type,
        "id_document_country": id.id_document_country,
        "country_name": id.id_document_country,
        "birth_date": id.birth_date,
        "profile": request.profile,
        "registration_authority": ra,
        "scratchcard": request.scratchcard,
        "validity_time": "1",
        "paperless_mode": true,
        "secure_element": 2,
        "videoid_mode": request.videoid.is_some(),
        "communication_language": request.communication_language.clone().unwrap_or_default(),
        "certificate_set": certificate_set,
        "registering_user": user,
        "approving_user": user,
    });
    if let Value::Object(known) = known {
        map.extend(known);
    }
    Value::Object(map)
}
