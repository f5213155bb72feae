//! The wording of the service contract, per language.

use super::ContractData;
use crate::pki::names::TSP_NAME;

/// A piece of the contract, laid out by `layout`.
pub(crate) enum Block {
    Title(String),
    Subtitle(String),
    Notice(String),
    Heading(String),
    Paragraph(String),
    Fields(Vec<(String, String)>),
    Signatures(Vec<String>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Spanish,
    English,
}

impl Language {
    /// `ES` and `EN`; `PL` and anything else use the English text.
    pub(crate) fn from_code(code: &str) -> Language {
        if code.trim().eq_ignore_ascii_case("ES") {
            Language::Spanish
        } else {
            Language::English
        }
    }
}

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The request date in words (UTC).
pub(crate) fn date(language: Language, at: std::time::SystemTime) -> String {
    let Ok(ts) = jiff::Timestamp::try_from(at) else {
        return String::new();
    };
    let date = ts.to_zoned(jiff::tz::TimeZone::UTC).date();
    let month = usize::try_from(date.month() - 1).unwrap_or(0);
    match language {
        Language::Spanish => format!("{} de {} de {}", date.day(), MONTHS_ES[month], date.year()),
        Language::English => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

fn document_type(language: Language, code: &str) -> String {
    let known = match (language, code.trim().to_ascii_uppercase().as_str()) {
        (Language::Spanish, "IDC") => "documento nacional de identidad",
        (Language::Spanish, "PAS") => "pasaporte",
        (Language::Spanish, "PNO") => "número personal nacional",
        (Language::Spanish, "TIN") => "número de identificación fiscal",
        (Language::Spanish, "CI") => "cédula de identidad",
        (Language::Spanish, "CE") => "carné de extranjería",
        (Language::English, "IDC") => "national identity card",
        (Language::English, "PAS") => "passport",
        (Language::English, "PNO") => "national personal number",
        (Language::English, "TIN") => "tax identification number",
        (Language::English, "CI") => "identity card",
        (Language::English, "CE") => "foreigner's identity card",
        _ => "",
    };
    if known.is_empty() {
        code.trim().to_owned()
    } else {
        format!("{known} ({})", code.trim().to_ascii_uppercase())
    }
}

fn profile(language: Language, code: &str) -> String {
    let description = match (language, code.trim()) {
        (Language::Spanish, "PFnubeQAFCiudadano") => {
            "certificado cualificado de firma electrónica de persona física conforme al Reglamento (UE) \
             n.º 910/2014 (eIDAS), con la clave en un dispositivo cualificado de creación de firma gestionado \
             por el Prestador; las firmas creadas con él son firmas electrónicas cualificadas"
        }
        (Language::Spanish, "PFnubeNC") => {
            "certificado normalizado (no cualificado) de persona física; las firmas creadas con él son firmas \
             electrónicas avanzadas"
        }
        (Language::English, "PFnubeQAFCiudadano") => {
            "qualified certificate for electronic signatures of a natural person under Regulation (EU) \
             No 910/2014 (eIDAS), with the key held in a qualified signature creation device managed by the \
             Provider; signatures created with it are qualified electronic signatures"
        }
        (Language::English, "PFnubeNC") => {
            "normalised (non-qualified) certificate of a natural person; signatures created with it are \
             advanced electronic signatures"
        }
        (Language::Spanish, _) => "certificado de firma electrónica de persona física",
        (Language::English, _) => "electronic signature certificate of a natural person",
    };
    format!("{} — {description}", code.trim())
}

fn full_name(data: &ContractData) -> String {
    [
        Some(data.given_name.trim()),
        Some(data.surname_1.trim()),
        data.surname_2.as_deref().map(str::trim),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// The whole contract for `data`, in its language.
pub(crate) fn blocks(data: &ContractData) -> Vec<Block> {
    let language = Language::from_code(&data.language);
    match language {
        Language::Spanish => spanish(data),
        Language::English => english(data),
    }
}

fn clauses(blocks: &mut Vec<Block>, clauses: Vec<(&str, String)>) {
    for (i, (title, text)) in clauses.into_iter().enumerate() {
        blocks.push(Block::Heading(format!("{}. {title}", i + 1)));
        blocks.push(Block::Paragraph(text));
    }
}

fn spanish(d: &ContractData) -> Vec<Block> {
    let l = Language::Spanish;
    let name = full_name(d);
    let date = date(l, d.created_at);
    let doc = document_type(l, &d.id_document_type);
    let (pk, ra, phone, email, serial, country) = (
        d.request_pk,
        d.registration_authority.trim(),
        d.mobile_phone_number.trim(),
        d.email.trim(),
        d.serial_number.trim(),
        d.id_document_country.trim(),
    );
    let mut blocks = vec![
        Block::Title("CONTRATO DE PRESTACIÓN DE SERVICIOS DE CERTIFICACIÓN".into()),
        Block::Subtitle(format!("Certificado de firma electrónica de un solo uso (One-Shot) — {TSP_NAME}")),
        Block::Subtitle(format!("Solicitud n.º {pk} · {date}")),
        Block::Notice(
            "Documento simulado: generado por el simulador de One-Shot Optimizer para pruebas y formación. \
             No tiene efectos jurídicos ni certifica nada."
                .into(),
        ),
        Block::Heading("Datos del Suscriptor".into()),
        Block::Fields(vec![
            ("Nombre y apellidos".into(), name.clone()),
            ("Documento de identidad".into(), format!("{doc} n.º {serial}")),
            ("País de expedición".into(), country.to_owned()),
            ("Correo electrónico".into(), email.to_owned()),
            ("Teléfono móvil".into(), phone.to_owned()),
            ("Perfil del certificado".into(), d.profile.trim().to_owned()),
            ("Autoridad de registro".into(), ra.to_owned()),
            ("Solicitud".into(), format!("{pk}, creada el {date}")),
        ]),
        Block::Paragraph(format!(
            "De una parte, {TSP_NAME} (en adelante, el «Prestador»), prestador de servicios de confianza \
             simulado, y de otra, {name} (en adelante, el «Suscriptor»), cuyos datos figuran arriba, acuerdan \
             las siguientes cláusulas."
        )),
    ];
    clauses(
        &mut blocks,
        vec![
            ("Objeto", format!(
                "Este contrato regula la emisión por el Prestador de un certificado electrónico de un solo uso \
                 a favor del Suscriptor y la creación, por orden del Suscriptor, de firmas electrónicas sobre los \
                 documentos de la solicitud {pk}, tramitada a través de la autoridad de registro {ra}."
            )),
            ("El certificado", format!(
                "El certificado se emite con el perfil {}. Identifica al Suscriptor por su nombre y por el número \
                 de su documento de identidad ({serial}) y es válido durante siete días desde su emisión.",
                profile(l, &d.profile)
            )),
            ("Identificación del Suscriptor", format!(
                "La autoridad de registro {ra} ha identificado al Suscriptor mediante su {doc} n.º {serial}, \
                 expedido por {country}. El Suscriptor declara que los datos de este contrato son verdaderos y \
                 completos y que su documento de identidad está en vigor."
            )),
            ("Uso único del certificado",
                "El certificado se genera solo para esta solicitud. Su clave privada la crea y custodia el \
                 Prestador en un dispositivo cualificado de creación de firma y se usa exclusivamente para firmar \
                 los documentos que el Suscriptor ha revisado y aceptado en esta solicitud; después no se vuelve a \
                 utilizar.".into()),
            ("Activación y código de confirmación", format!(
                "La firma se activa con un código de confirmación de un solo uso enviado por SMS al teléfono \
                 móvil {phone}. El Suscriptor no debe revelar este código a nadie, tampoco al personal que le \
                 atiende, y debe avisar de inmediato al Prestador si recibe un código que no ha solicitado."
            )),
            ("Obligaciones del Suscriptor",
                "El Suscriptor se compromete a revisar los documentos antes de firmarlos, a facilitar información \
                 veraz, a mantener en secreto el código de confirmación y a solicitar la revocación del \
                 certificado si sospecha de un uso indebido.".into()),
            ("Obligaciones del Prestador",
                "El Prestador se compromete a emitir el certificado conforme a su declaración de prácticas de \
                 certificación, a proteger la clave de firma frente a usos no autorizados, a conservar las \
                 evidencias de la firma y a publicar el estado del certificado mientras sea válido.".into()),
            ("Revocación",
                "El Suscriptor puede solicitar la revocación del certificado en cualquier momento de su vigencia \
                 dirigiéndose a la autoridad de registro o al Prestador. Las firmas creadas antes de la revocación \
                 conservan su validez.".into()),
            ("Protección de datos personales", format!(
                "El Prestador trata los datos personales de este contrato (entre ellos {email}, {phone} y los datos \
                 de identificación) como responsable del tratamiento para prestar el servicio de certificación, \
                 conforme al Reglamento (UE) 2016/679 (RGPD). Los datos se conservan durante quince años para \
                 acreditar la emisión del certificado. El Suscriptor puede ejercer los derechos de acceso, \
                 rectificación, supresión, limitación, portabilidad y oposición dirigiéndose por escrito al \
                 Prestador."
            )),
            ("Conservación de evidencias",
                "El Prestador conserva la información relativa a la emisión del certificado y a la firma de los \
                 documentos, incluido este contrato, durante el plazo que exige la ley, de modo que pueda \
                 aportarse como prueba en un procedimiento judicial.".into()),
            ("Responsabilidad",
                "El Prestador responde de los daños causados por el incumplimiento de sus obligaciones según el \
                 Reglamento (UE) n.º 910/2014 (eIDAS). No responde de los daños derivados del incumplimiento de \
                 este contrato por el Suscriptor ni del uso del certificado fuera del objeto descrito en la \
                 cláusula 1.".into()),
            ("Duración",
                "Este contrato entra en vigor cuando el Suscriptor lo firma y termina cuando el certificado caduca \
                 o es revocado, sin perjuicio de las obligaciones de conservación de datos.".into()),
            ("Ley aplicable y jurisdicción",
                "Este contrato se rige por la ley española. Cualquier controversia se someterá a los juzgados y \
                 tribunales del domicilio del Suscriptor cuando este tenga la condición de consumidor.".into()),
        ],
    );
    blocks.push(Block::Paragraph(
        "Al firmar electrónicamente este contrato con el código de confirmación, el Suscriptor declara que lo ha \
         leído y que acepta estas condiciones y la declaración de prácticas de certificación del Prestador."
            .into(),
    ));
    blocks.push(Block::Signatures(vec![
        format!("El Suscriptor: {name}"),
        format!("El Prestador: {TSP_NAME}"),
    ]));
    blocks
}

fn english(d: &ContractData) -> Vec<Block> {
    let l = Language::English;
    let name = full_name(d);
    let date = date(l, d.created_at);
    let doc = document_type(l, &d.id_document_type);
    let (pk, ra, phone, email, serial, country) = (
        d.request_pk,
        d.registration_authority.trim(),
        d.mobile_phone_number.trim(),
        d.email.trim(),
        d.serial_number.trim(),
        d.id_document_country.trim(),
    );
    let mut blocks = vec![
        Block::Title("CERTIFICATION SERVICES AGREEMENT".into()),
        Block::Subtitle(format!("One-use (One-Shot) electronic signature certificate — {TSP_NAME}")),
        Block::Subtitle(format!("Request no. {pk} · {date}")),
        Block::Notice(
            "Simulated document: generated by the One-Shot Optimizer simulator for testing and training. It has \
             no legal effect and certifies nothing."
                .into(),
        ),
        Block::Heading("Subscriber's details".into()),
        Block::Fields(vec![
            ("Full name".into(), name.clone()),
            ("Identity document".into(), format!("{doc} no. {serial}")),
            ("Issuing country".into(), country.to_owned()),
            ("E-mail".into(), email.to_owned()),
            ("Mobile phone".into(), phone.to_owned()),
            ("Certificate profile".into(), d.profile.trim().to_owned()),
            ("Registration authority".into(), ra.to_owned()),
            ("Request".into(), format!("{pk}, created on {date}")),
        ]),
        Block::Paragraph(format!(
            "{TSP_NAME} (the \u{201c}Provider\u{201d}), a simulated trust service provider, and {name} (the \
             \u{201c}Subscriber\u{201d}), whose details are given above, agree as follows."
        )),
    ];
    clauses(
        &mut blocks,
        vec![
            ("Purpose", format!(
                "This agreement sets the terms under which the Provider issues a one-use electronic certificate \
                 to the Subscriber and creates, on the Subscriber's instruction, electronic signatures on the \
                 documents of request {pk}, handled through the registration authority {ra}."
            )),
            ("The certificate", format!(
                "The certificate is issued under the profile {}. It identifies the Subscriber by name and by the \
                 number of their identity document ({serial}) and is valid for seven days from its issuance.",
                profile(l, &d.profile)
            )),
            ("Identification of the Subscriber", format!(
                "The registration authority {ra} has identified the Subscriber by means of their {doc} no. \
                 {serial}, issued by {country}. The Subscriber declares that the details in this agreement are \
                 true and complete and that their identity document is valid."
            )),
            ("Single use of the certificate",
                "The certificate is generated for this request only. Its private key is created and kept by the \
                 Provider in a qualified signature creation device and is used exclusively to sign the documents \
                 the Subscriber has reviewed and accepted in this request; it is not used again afterwards."
                    .into()),
            ("Activation and confirmation code", format!(
                "The signature is activated with a one-time confirmation code sent by SMS to the mobile phone \
                 number {phone}. The Subscriber must not disclose this code to anyone, including the staff \
                 assisting them, and must tell the Provider at once if they receive a code they did not request."
            )),
            ("Obligations of the Subscriber",
                "The Subscriber undertakes to review the documents before signing them, to provide truthful \
                 information, to keep the confirmation code secret and to ask for the certificate to be revoked if \
                 they suspect misuse.".into()),
            ("Obligations of the Provider",
                "The Provider undertakes to issue the certificate in accordance with its certification practice \
                 statement, to protect the signing key against unauthorised use, to keep the evidence of the \
                 signature and to publish the status of the certificate while it is valid.".into()),
            ("Revocation",
                "The Subscriber may ask for the certificate to be revoked at any time during its validity by \
                 contacting the registration authority or the Provider. Signatures created before the revocation \
                 remain valid.".into()),
            ("Personal data", format!(
                "The Provider processes the personal data in this agreement (among them {email}, {phone} and the \
                 identification details) as data controller in order to provide the certification service, in \
                 accordance with Regulation (EU) 2016/679 (GDPR). The data are kept for fifteen years to evidence \
                 the issuance of the certificate. The Subscriber may exercise the rights of access, rectification, \
                 erasure, restriction, portability and objection by writing to the Provider."
            )),
            ("Retention of evidence",
                "The Provider keeps the information on the issuance of the certificate and the signing of the \
                 documents, including this agreement, for the period required by law, so that it can be produced \
                 as evidence in legal proceedings.".into()),
            ("Liability",
                "The Provider is liable for damage caused by a failure to meet its obligations under Regulation \
                 (EU) No 910/2014 (eIDAS). It is not liable for damage resulting from the Subscriber's breach of \
                 this agreement or from use of the certificate outside the purpose described in clause 1.".into()),
            ("Duration",
                "This agreement takes effect when the Subscriber signs it and ends when the certificate expires or \
                 is revoked, without prejudice to the obligations on the retention of data.".into()),
            ("Governing law and jurisdiction",
                "This agreement is governed by Spanish law. Any dispute will be brought before the courts of the \
                 Subscriber's place of residence where the Subscriber is a consumer.".into()),
        ],
    );
    blocks.push(Block::Paragraph(
        "By signing this agreement electronically with the confirmation code, the Subscriber declares that they \
         have read and accept these terms and the Provider's certification practice statement."
            .into(),
    ));
    blocks.push(Block::Signatures(vec![
        format!("The Subscriber: {name}"),
        format!("The Provider: {TSP_NAME}"),
    ]));
    blocks
}
