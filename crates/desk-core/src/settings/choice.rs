//! Settings whose value is one of a few words.

/// Declares an enum of words with `as_str`, `ALL`, `FromStr`, `Display`, serde as the word and,
/// with `default Variant`, a `Default`.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident default $default:ident { $($body:tt)* }) => {
        choice! { $(#[$meta])* $name { $($body)* } }

        impl Default for $name {
            fn default() -> Self {
                $name::$default
            }
        }
    };
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every choice.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The word written in settings files.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(word: &str) -> Result<Self, Self::Err> {
                $name::ALL.iter().copied().find(|choice| choice.as_str() == word).ok_or_else(|| {
                    let words: Vec<String> =
                        $name::ALL.iter().map(|c| format!("\"{}\"", c.as_str())).collect();
                    format!("\"{word}\" is not one of {}", words.join(", "))
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let word = String::deserialize(deserializer)?;
                word.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

choice! {
    /// Which path layout the Optimizer serves.
    LayoutPreference default Auto {
        /// Detect it (current first, then legacy).
        Auto => "auto",
        /// `/oneshot/api/v1/...`
        Current => "current",
        /// `/api/v1/...`
        Legacy => "legacy",
    }
}

choice! {
    /// The Uanataca environment requests are issued in.
    Environment {
        /// Test certificates.
        Sandbox => "sandbox",
        /// Real, legally binding certificates.
        Prod => "prod",
    }
}

choice! {
    /// The certificate profile of the customer's one-shot certificate.
    Profile {
        /// Qualified certificate: qualified electronic signature (eIDAS).
        PFnubeQAFCiudadano => "PFnubeQAFCiudadano",
        /// Normalised certificate: advanced electronic signature.
        PFnubeNC => "PFnubeNC",
    }
}

choice! {
    /// How the customer receives the signing code.
    OtpDelivery default Sms {
        /// Text message.
        Sms => "sms",
        /// WhatsApp message.
        Whatsapp => "whatsapp",
    }
}

choice! {
    /// The window's language.
    UiLanguage default System {
        /// Follow the operating system.
        System => "system",
        /// Spanish.
        Es => "es",
        /// English.
        En => "en",
        /// Italian.
        It => "it",
    }
}

choice! {
    /// The window's colours.
    UiTheme default System {
        /// Follow the operating system.
        System => "system",
        /// Light.
        Light => "light",
        /// Dark.
        Dark => "dark",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_print_and_explain_mistakes() {
        assert_eq!(
            "whatsapp".parse::<OtpDelivery>().unwrap(),
            OtpDelivery::Whatsapp
        );
        assert_eq!(Profile::PFnubeNC.to_string(), "PFnubeNC");
        let error = "Prod".parse::<Environment>().unwrap_err();
        assert_eq!(error, "\"Prod\" is not one of \"sandbox\", \"prod\"");
        assert_eq!(serde_json::to_string(&UiTheme::Dark).unwrap(), "\"dark\"");
        assert_eq!(
            serde_json::from_str::<LayoutPreference>("\"legacy\"").unwrap(),
            LayoutPreference::Legacy
        );
    }
}
