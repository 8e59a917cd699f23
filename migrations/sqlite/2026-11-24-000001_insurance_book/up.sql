-- The insurance book: dated policy parameters, people, employers, contribution months and the
-- employer account they are paid from, declarations (every version kept), health cards, API
-- clients with scoped tokens, card checks (the citizen's access log) and idempotency keys.

-- One row per figure and the day it takes effect. Rules pick the row in force on the date of
-- the event (the contribution month, the birth, the decision), never "today" (DOMAIN.md §0).
-- `status` carries DOMAIN.md's confidence tag: VL, V3, V1 or M (from memory, to be confirmed).
CREATE TABLE policy_parameters (
    name TEXT NOT NULL,
    effective_from DATE NOT NULL,
    value BIGINT NOT NULL,
    unit TEXT NOT NULL CHECK (unit IN ('vnd', 'basis_points', 'multiple')),
    legal_basis TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('VL', 'V3', 'V1', 'M')),
    PRIMARY KEY (name, effective_from)
);

INSERT INTO policy_parameters (name, effective_from, value, unit, legal_basis, status) VALUES
    ('base_salary', '2016-05-01', 1210000, 'vnd', 'Decree 47/2016/NĐ-CP', 'M'),
    ('base_salary', '2017-07-01', 1300000, 'vnd', 'Decree 47/2017/NĐ-CP', 'M'),
    ('base_salary', '2018-07-01', 1390000, 'vnd', 'Decree 72/2018/NĐ-CP', 'M'),
    ('base_salary', '2019-07-01', 1490000, 'vnd', 'Decree 38/2019/NĐ-CP', 'M'),
    ('base_salary', '2023-07-01', 1800000, 'vnd', 'Decree 24/2023/NĐ-CP', 'V3'),
    ('base_salary', '2024-07-01', 2340000, 'vnd', 'Decree 73/2024/NĐ-CP', 'V3'),
    ('base_salary', '2026-07-01', 2530000, 'vnd', 'Decree 161/2026/NĐ-CP', 'V3'),
    ('regional_minimum_wage_1', '2020-01-01', 4420000, 'vnd', 'Decree 90/2019/NĐ-CP', 'M'),
    ('regional_minimum_wage_2', '2020-01-01', 3920000, 'vnd', 'Decree 90/2019/NĐ-CP', 'M'),
    ('regional_minimum_wage_3', '2020-01-01', 3430000, 'vnd', 'Decree 90/2019/NĐ-CP', 'M'),
    ('regional_minimum_wage_4', '2020-01-01', 3070000, 'vnd', 'Decree 90/2019/NĐ-CP', 'M'),
    ('regional_minimum_wage_1', '2022-07-01', 4680000, 'vnd', 'Decree 38/2022/NĐ-CP', 'M'),
    ('regional_minimum_wage_2', '2022-07-01', 4160000, 'vnd', 'Decree 38/2022/NĐ-CP', 'M'),
    ('regional_minimum_wage_3', '2022-07-01', 3640000, 'vnd', 'Decree 38/2022/NĐ-CP', 'M'),
    ('regional_minimum_wage_4', '2022-07-01', 3250000, 'vnd', 'Decree 38/2022/NĐ-CP', 'M'),
    ('regional_minimum_wage_1', '2024-07-01', 4960000, 'vnd', 'Decree 74/2024/NĐ-CP', 'V3'),
    ('regional_minimum_wage_2', '2024-07-01', 4410000, 'vnd', 'Decree 74/2024/NĐ-CP', 'V3'),
    ('regional_minimum_wage_3', '2024-07-01', 3860000, 'vnd', 'Decree 74/2024/NĐ-CP', 'V3'),
    ('regional_minimum_wage_4', '2024-07-01', 3450000, 'vnd', 'Decree 74/2024/NĐ-CP', 'V3'),
    ('regional_minimum_wage_1', '2026-01-01', 5310000, 'vnd', 'Decree 293/2025/NĐ-CP', 'V3'),
    ('regional_minimum_wage_2', '2026-01-01', 4730000, 'vnd', 'Decree 293/2025/NĐ-CP', 'V3'),
    ('regional_minimum_wage_3', '2026-01-01', 4140000, 'vnd', 'Decree 293/2025/NĐ-CP', 'V3'),
    ('regional_minimum_wage_4', '2026-01-01', 3700000, 'vnd', 'Decree 293/2025/NĐ-CP', 'V3'),
    -- Rates in basis points (1% = 100). The 2014 law's rates are loaded from 2016 from memory;
    -- the 2024 law restates them from 1 Jul 2025.
    ('pension_employee_rate', '2016-01-01', 800, 'basis_points', 'Law 58/2014/QH13 Art. 85', 'M'),
    ('pension_employee_rate', '2025-07-01', 800, 'basis_points', 'Law 41/2024/QH15 Art. 33(1)(a)', 'VL'),
    ('pension_employer_rate', '2016-01-01', 1400, 'basis_points', 'Law 58/2014/QH13 Art. 86', 'M'),
    ('pension_employer_rate', '2025-07-01', 1400, 'basis_points', 'Law 41/2024/QH15 Art. 34(1)(b)', 'VL'),
    ('sickness_employer_rate', '2016-01-01', 300, 'basis_points', 'Law 58/2014/QH13 Art. 86', 'M'),
    ('sickness_employer_rate', '2025-07-01', 300, 'basis_points', 'Law 41/2024/QH15 Art. 34(1)(a)', 'VL'),
    ('accident_employer_rate', '2016-01-01', 50, 'basis_points', 'Law 84/2015/QH13; Decree 58/2020/NĐ-CP Art. 4', 'M'),
    ('accident_employer_rate', '2025-07-01', 50, 'basis_points', 'Decree 158/2025/NĐ-CP Art. 43(2)', 'VL'),
    ('health_employee_rate', '2016-01-01', 150, 'basis_points', 'HI Law 25/2008/QH12 Art. 13', 'V3'),
    ('health_employer_rate', '2016-01-01', 300, 'basis_points', 'HI Law 25/2008/QH12 Art. 13', 'V3'),
    ('unemployment_employee_rate', '2016-01-01', 100, 'basis_points', 'Employment Law 38/2013/QH13 Art. 57', 'M'),
    ('unemployment_employee_rate', '2026-01-01', 100, 'basis_points', 'Employment Law 74/2025/QH15', 'V3'),
    ('unemployment_employer_rate', '2016-01-01', 100, 'basis_points', 'Employment Law 38/2013/QH13 Art. 57', 'M'),
    ('unemployment_employer_rate', '2026-01-01', 100, 'basis_points', 'Employment Law 74/2025/QH15', 'V3'),
    -- Ceilings: SI and HI salary at most 20 × base salary; UI salary at most 20 × the regional minimum wage.
    ('si_ceiling_multiple', '2016-01-01', 20, 'multiple', 'Law 58/2014/QH13 Art. 89', 'M'),
    ('si_ceiling_multiple', '2025-07-01', 20, 'multiple', 'Law 41/2024/QH15 Art. 31(1)(đ)', 'VL'),
    ('ui_ceiling_multiple', '2016-01-01', 20, 'multiple', 'Employment Law 38/2013/QH13 Art. 58', 'M'),
    ('ui_ceiling_multiple', '2026-01-01', 20, 'multiple', 'Employment Law 74/2025/QH15', 'V3'),
    -- Late-payment interest per day on the unpaid amount (0.03% = 3 basis points).
    ('late_interest_daily', '2016-01-01', 3, 'basis_points', 'Law 58/2014/QH13 Art. 122', 'M'),
    ('late_interest_daily', '2025-07-01', 3, 'basis_points', 'Law 41/2024/QH15 Art. 38-41', 'VL');

CREATE TABLE employers (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL UNIQUE,
    tax_code TEXT NOT NULL,
    name TEXT NOT NULL,
    province_code TEXT NOT NULL,
    -- Minimum-wage region I–IV (1–4) of the workplace.
    region INTEGER NOT NULL CHECK (region BETWEEN 1 AND 4),
    created_at TIMESTAMP NOT NULL
);

-- An insured person. A citizen account is theirs when its personal ID matches.
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    si_code TEXT NOT NULL UNIQUE,
    personal_id TEXT UNIQUE,
    full_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE employment_periods (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    employer_id TEXT NOT NULL REFERENCES employers (id),
    from_month DATE NOT NULL,
    to_month DATE
);
CREATE INDEX employment_periods_person_idx ON employment_periods (person_id, from_month);
CREATE INDEX employment_periods_employer_idx ON employment_periods (employer_id, person_id);

-- Every version of every monthly declaration, with its computed lines (JSON), for history.
CREATE TABLE declarations (
    id TEXT PRIMARY KEY,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    month DATE NOT NULL,
    version INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    lines TEXT NOT NULL,
    total_employee BIGINT NOT NULL,
    total_employer BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (employer_id, month, version)
);

-- One person's contributions for one month from one payer: an employer (compulsory) or the
-- person (voluntary, employer_id NULL). Amounts in whole VND per fund and share.
-- `paid_on` is set when the payer's payments cover the month; unpaid after `due_date` = owed.
CREATE TABLE contribution_months (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    employer_id TEXT REFERENCES employers (id),
    scheme TEXT NOT NULL CHECK (scheme IN ('compulsory', 'voluntary')),
    month DATE NOT NULL,
    salary_basis BIGINT NOT NULL,
    pension_employee BIGINT NOT NULL,
    pension_employer BIGINT NOT NULL,
    sickness_employer BIGINT NOT NULL,
    accident_employer BIGINT NOT NULL,
    unemployment_employee BIGINT NOT NULL,
    unemployment_employer BIGINT NOT NULL,
    health_employee BIGINT NOT NULL,
    health_employer BIGINT NOT NULL,
    state_support BIGINT NOT NULL,
    declaration_id TEXT REFERENCES declarations (id),
    due_date DATE NOT NULL,
    paid_on DATE
);
CREATE INDEX contribution_months_person_idx ON contribution_months (person_id, month);
CREATE INDEX contribution_months_employer_idx ON contribution_months (employer_id, month);

-- The employer's account per month: what its declaration owes and how much of its payments
-- went to it (payments fill the oldest months first).
CREATE TABLE employer_months (
    employer_id TEXT NOT NULL REFERENCES employers (id),
    month DATE NOT NULL,
    due BIGINT NOT NULL,
    paid BIGINT NOT NULL,
    due_date DATE NOT NULL,
    paid_on DATE,
    PRIMARY KEY (employer_id, month)
);

CREATE TABLE employer_payments (
    id TEXT PRIMARY KEY,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    paid_on DATE NOT NULL,
    reference TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX employer_payments_employer_idx ON employer_payments (employer_id, paid_on);

CREATE TABLE health_cards (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    -- 15 characters: object code (2 letters), benefit level (1 digit), province (2 digits), SI code.
    card_code TEXT NOT NULL UNIQUE,
    object_code TEXT NOT NULL,
    benefit_level INTEGER NOT NULL CHECK (benefit_level BETWEEN 1 AND 5),
    valid_from DATE NOT NULL,
    valid_to DATE NOT NULL,
    facility_code TEXT NOT NULL,
    facility_name TEXT NOT NULL,
    five_year_date DATE,
    issued_at TIMESTAMP NOT NULL
);
CREATE INDEX health_cards_person_idx ON health_cards (person_id, valid_to);

-- Third-party applications (payroll software, clinics) with OAuth2 client credentials.
CREATE TABLE api_clients (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Space-separated, e.g. `declarations:write cards:verify`.
    scopes TEXT NOT NULL,
    employer_id TEXT REFERENCES employers (id),
    facility_code TEXT,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE client_tokens (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX client_tokens_client_idx ON client_tokens (client_id);

-- Every card check by a clinic: the card holder sees who checked and when.
CREATE TABLE card_checks (
    id TEXT PRIMARY KEY,
    person_id TEXT REFERENCES people (id),
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    method TEXT NOT NULL CHECK (method IN ('number', 'qr')),
    outcome TEXT NOT NULL,
    checked_at TIMESTAMP NOT NULL
);
CREATE INDEX card_checks_person_idx ON card_checks (person_id, checked_at);

-- The stored answer to a POST carrying an Idempotency-Key, per caller.
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, idempotency_key)
);
