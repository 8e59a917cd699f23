//! The banks a payout account can be at, by their NAPAS BIN (the six digits that name a bank in
//! Vietnamese interbank transfers and VietQR). The one list: pages, the API schema and the
//! parser all read it from here.

/// A bank on the list.
#[derive(Debug, PartialEq, Eq)]
pub struct Bank {
    /// NAPAS bank identification number, e.g. `970436`.
    pub bin: &'static str,
    /// The name people know it by, e.g. `Vietcombank`.
    pub name: &'static str,
    /// The registered name.
    pub full_name: &'static str,
}

pub const BANKS: &[Bank] = &[
    Bank {
        bin: "970405",
        name: "Agribank",
        full_name: "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
    },
    Bank {
        bin: "970436",
        name: "Vietcombank",
        full_name: "Ngân hàng TMCP Ngoại thương Việt Nam",
    },
    Bank {
        bin: "970415",
        name: "VietinBank",
        full_name: "Ngân hàng TMCP Công thương Việt Nam",
    },
    Bank {
        bin: "970418",
        name: "BIDV",
        full_name: "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
    },
    Bank {
        bin: "970407",
        name: "Techcombank",
        full_name: "Ngân hàng TMCP Kỹ thương Việt Nam",
    },
    Bank {
        bin: "970422",
        name: "MB",
        full_name: "Ngân hàng TMCP Quân đội",
    },
    Bank {
        bin: "970416",
        name: "ACB",
        full_name: "Ngân hàng TMCP Á Châu",
    },
    Bank {
        bin: "970432",
        name: "VPBank",
        full_name: "Ngân hàng TMCP Việt Nam Thịnh Vượng",
    },
    Bank {
        bin: "970403",
        name: "Sacombank",
        full_name: "Ngân hàng TMCP Sài Gòn Thương Tín",
    },
    Bank {
        bin: "970423",
        name: "TPBank",
        full_name: "Ngân hàng TMCP Tiên Phong",
    },
    Bank {
        bin: "970441",
        name: "VIB",
        full_name: "Ngân hàng TMCP Quốc tế Việt Nam",
    },
    Bank {
        bin: "970443",
        name: "SHB",
        full_name: "Ngân hàng TMCP Sài Gòn – Hà Nội",
    },
    Bank {
        bin: "970437",
        name: "HDBank",
        full_name: "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh",
    },
    Bank {
        bin: "970448",
        name: "OCB",
        full_name: "Ngân hàng TMCP Phương Đông",
    },
    Bank {
        bin: "970426",
        name: "MSB",
        full_name: "Ngân hàng TMCP Hàng Hải Việt Nam",
    },
    Bank {
        bin: "970431",
        name: "Eximbank",
        full_name: "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam",
    },
    Bank {
        bin: "970440",
        name: "SeABank",
        full_name: "Ngân hàng TMCP Đông Nam Á",
    },
    Bank {
        bin: "970449",
        name: "LPBank",
        full_name: "Ngân hàng TMCP Lộc Phát Việt Nam",
    },
];

/// The bank with this BIN, if it is on the list.
pub fn by_bin(bin: &str) -> Option<&'static Bank> {
    BANKS.iter().find(|bank| bank.bin == bin)
}

/// The API schema of a bank field: one of the listed BINs.
pub fn bin_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(format!(
            "The bank's NAPAS BIN: {}.",
            BANKS
                .iter()
                .map(|bank| format!("{} {}", bank.bin, bank.name))
                .collect::<Vec<_>>()
                .join(", ")
        )))
        .enum_values(Some(BANKS.iter().map(|bank| bank.bin)))
        .examples([serde_json::json!("970436")])
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bin_is_six_digits_starting_970_and_listed_once() {
        for bank in BANKS {
            assert!(
                bank.bin.len() == 6
                    && bank.bin.starts_with("970")
                    && bank.bin.bytes().all(|b| b.is_ascii_digit()),
                "{bank:?}"
            );
            assert_eq!(
                BANKS.iter().filter(|b| b.bin == bank.bin).count(),
                1,
                "{bank:?}"
            );
        }
        assert_eq!(by_bin("970436").map(|b| b.name), Some("Vietcombank"));
        assert_eq!(by_bin("970499"), None);
    }

    #[test]
    fn the_schema_lists_every_bank() {
        let schema = serde_json::to_value(bin_schema()).unwrap();
        let description = schema["description"].as_str().unwrap();
        for bank in BANKS {
            assert!(
                description.contains(&format!("{} {}", bank.bin, bank.name)),
                "{bank:?}"
            );
        }
        assert_eq!(schema["enum"].as_array().unwrap().len(), BANKS.len());
    }
}
