//! Table definitions, shared by both backends (portable types only: text ids, BIGINT money,
//! DATE, naive UTC TIMESTAMP, BOOLEAN). Keep in step with `migrations/{sqlite,postgres}`; the
//! schema guard tests compare the two.

diesel::table! {
    accounts (id) {
        id -> Text,
        kind -> Text,
        role -> Nullable<Text>,
        email -> Text,
        personal_id -> Nullable<Text>,
        full_name -> Text,
        birth_date -> Nullable<Date>,
        phone -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        email_verified_at -> Nullable<Timestamp>,
        locale -> Text,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
        is_active -> Bool,
        is_demo -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    web_sessions (id) {
        id -> Text,
        token_hash -> Text,
        account_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        mfa_verified_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        account_id -> Text,
        kind -> Text,
        token_hash -> Text,
        family_id -> Text,
        mfa -> Bool,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> Text,
        account_id -> Text,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Text,
        throttle_key -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    policy_parameters (name, effective_from) {
        name -> Text,
        effective_from -> Date,
        value -> BigInt,
        unit -> Text,
        legal_basis -> Text,
        status -> Text,
    }
}

diesel::table! {
    employers (id) {
        id -> Text,
        unit_code -> Text,
        tax_code -> Text,
        name -> Text,
        province_code -> Text,
        region -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        si_code -> Text,
        personal_id -> Nullable<Text>,
        full_name -> Text,
        birth_date -> Date,
        sex -> Text,
        created_at -> Timestamp,
        died_on -> Nullable<Date>,
    }
}

diesel::table! {
    employment_periods (id) {
        id -> Text,
        person_id -> Text,
        employer_id -> Text,
        from_month -> Date,
        to_month -> Nullable<Date>,
    }
}

diesel::table! {
    declarations (id) {
        id -> Text,
        employer_id -> Text,
        month -> Date,
        version -> Integer,
        submitted_by -> Text,
        lines -> Text,
        total_employee -> BigInt,
        total_employer -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contribution_months (id) {
        id -> Text,
        person_id -> Text,
        employer_id -> Nullable<Text>,
        scheme -> Text,
        month -> Date,
        salary_basis -> BigInt,
        pension_employee -> BigInt,
        pension_employer -> BigInt,
        sickness_employer -> BigInt,
        accident_employer -> BigInt,
        unemployment_employee -> BigInt,
        unemployment_employer -> BigInt,
        health_employee -> BigInt,
        health_employer -> BigInt,
        state_support -> BigInt,
        declaration_id -> Nullable<Text>,
        due_date -> Date,
        paid_on -> Nullable<Date>,
    }
}

diesel::table! {
    employer_months (employer_id, month) {
        employer_id -> Text,
        month -> Date,
        due -> BigInt,
        paid -> BigInt,
        due_date -> Date,
        paid_on -> Nullable<Date>,
    }
}

diesel::table! {
    employer_payments (id) {
        id -> Text,
        employer_id -> Text,
        amount -> BigInt,
        paid_on -> Date,
        reference -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    health_cards (id) {
        id -> Text,
        person_id -> Text,
        card_code -> Text,
        object_code -> Text,
        benefit_level -> Integer,
        valid_from -> Date,
        valid_to -> Date,
        facility_code -> Text,
        facility_name -> Text,
        five_year_date -> Nullable<Date>,
        issued_at -> Timestamp,
        enrolment_id -> Nullable<Text>,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        client_id -> Text,
        secret_hash -> Text,
        name -> Text,
        scopes -> Text,
        employer_id -> Nullable<Text>,
        facility_code -> Nullable<Text>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_tokens (id) {
        id -> Text,
        client_id -> Text,
        token_hash -> Text,
        scopes -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    card_checks (id) {
        id -> Text,
        person_id -> Nullable<Text>,
        client_id -> Text,
        method -> Text,
        outcome -> Text,
        checked_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (caller, idempotency_key) {
        caller -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status -> Integer,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        owner_account_id -> Text,
        stored_name -> Text,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    enrolments (id) {
        id -> Text,
        account_id -> Text,
        kind -> Text,
        status -> Text,
        monthly_income -> Nullable<BigInt>,
        support_group -> Nullable<Text>,
        evidence_id -> Nullable<Text>,
        payment_mode -> Text,
        start_month -> Date,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        decided_at -> Nullable<Timestamp>,
        stopped_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    enrolment_members (enrolment_id, position) {
        enrolment_id -> Text,
        position -> Integer,
        personal_id -> Text,
        full_name -> Text,
        birth_date -> Date,
        relationship -> Text,
        covered_by -> Nullable<Text>,
    }
}

diesel::table! {
    enrolment_instalments (enrolment_id, seq) {
        enrolment_id -> Text,
        seq -> Integer,
        first_month -> Date,
        months -> Integer,
        monthly_income -> BigInt,
        monthly_gross -> BigInt,
        monthly_support -> BigInt,
        supported_months -> Integer,
        amount -> BigInt,
        due_date -> Date,
        paid_on -> Nullable<Date>,
        reference -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
    }
}

diesel::table! {
    reminders_sent (kind, subject) {
        kind -> Text,
        subject -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    claims (id) {
        id -> Text,
        account_id -> Text,
        kind -> Text,
        status -> Text,
        details -> Text,
        decided_amount -> Nullable<BigInt>,
        reason_code -> Nullable<Text>,
        reason_text -> Nullable<Text>,
        payment_reference -> Nullable<Text>,
        paid_on -> Nullable<Date>,
        submitted_at -> Nullable<Timestamp>,
        decision_due -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        proposed_amount -> Nullable<BigInt>,
        proposed_by -> Nullable<Text>,
        proposed_at -> Nullable<Timestamp>,
        amount_reason -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_inputs -> Nullable<Text>,
        appeal_of -> Nullable<Text>,
    }
}

diesel::table! {
    claim_events (claim_id, seq) {
        claim_id -> Text,
        seq -> Integer,
        at -> Timestamp,
        status -> Text,
        actor -> Text,
    }
}

diesel::table! {
    claim_messages (id) {
        id -> Text,
        claim_id -> Text,
        from_staff -> Bool,
        author_id -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    claim_documents (document_id) {
        document_id -> Text,
        claim_id -> Text,
        kind -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    public_holidays (day) {
        day -> Date,
        name -> Text,
        legal_basis -> Text,
    }
}

diesel::joinable!(web_sessions -> accounts (account_id));
diesel::joinable!(api_tokens -> accounts (account_id));
diesel::joinable!(one_time_tokens -> accounts (account_id));
diesel::table! {
    payout_accounts (account_id) {
        account_id -> Text,
        bank_bin -> Text,
        account_number_sealed -> Text,
        account_number_index -> Text,
        holder_name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    content_items (id) {
        id -> Text,
        group_id -> Text,
        kind -> Text,
        lang -> Text,
        slug -> Text,
        status -> Text,
        publish_at -> Nullable<Timestamp>,
        category -> Text,
        tags -> Text,
        title -> Text,
        summary -> Text,
        body_md -> Text,
        facts -> Text,
        search_title -> Text,
        search_body -> Text,
        revision -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    content_revisions (item_id, revision) {
        item_id -> Text,
        revision -> Integer,
        title -> Text,
        summary -> Text,
        body_md -> Text,
        facts -> Text,
        author_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    questions (id) {
        id -> Text,
        account_id -> Nullable<Text>,
        email -> Nullable<Text>,
        email_confirmed_at -> Nullable<Timestamp>,
        confirm_token_hash -> Nullable<Text>,
        confirm_expires_at -> Nullable<Timestamp>,
        read_token_hash -> Nullable<Text>,
        locale -> Text,
        topic -> Text,
        body -> Text,
        consent_publish -> Bool,
        status -> Text,
        answer_md -> Nullable<Text>,
        answered_by -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        faq_item_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    coverage_targets (year, scheme) {
        year -> Integer,
        scheme -> Text,
        target_people -> BigInt,
        set_by -> Text,
        set_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    flags (id) {
        id -> Text,
        kind -> Text,
        account_id -> Text,
        subject_kind -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        evidence -> Text,
        fingerprint -> Text,
        status -> Text,
        triage_reason -> Nullable<Text>,
        triaged_by -> Nullable<Text>,
        triaged_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    submission_origins (id) {
        id -> Text,
        subject_kind -> Text,
        subject_id -> Text,
        account_id -> Text,
        client_ip -> Nullable<Text>,
        device -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::joinable!(flags -> accounts (account_id));
diesel::joinable!(content_revisions -> content_items (item_id));
diesel::joinable!(contribution_months -> people (person_id));
diesel::joinable!(contribution_months -> employers (employer_id));
diesel::joinable!(employment_periods -> people (person_id));
diesel::joinable!(employment_periods -> employers (employer_id));
diesel::joinable!(health_cards -> people (person_id));
diesel::joinable!(client_tokens -> api_clients (client_id));
diesel::joinable!(card_checks -> api_clients (client_id));
diesel::joinable!(api_clients -> employers (employer_id));
diesel::joinable!(enrolments -> accounts (account_id));
diesel::joinable!(claims -> accounts (account_id));
diesel::joinable!(claim_events -> claims (claim_id));
diesel::joinable!(claim_messages -> claims (claim_id));
diesel::joinable!(claim_documents -> claims (claim_id));
diesel::joinable!(claim_documents -> documents (document_id));
diesel::joinable!(payout_accounts -> accounts (account_id));
diesel::joinable!(enrolment_members -> enrolments (enrolment_id));
diesel::joinable!(enrolment_instalments -> enrolments (enrolment_id));

diesel::table! {
    payment_runs (id) {
        id -> Text,
        reference -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        exported_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        total_amount -> BigInt,
        item_count -> BigInt,
        version -> BigInt,
    }
}

diesel::table! {
    payment_items (run_id, seq) {
        run_id -> Text,
        seq -> BigInt,
        claim_id -> Text,
        account_id -> Text,
        amount -> BigInt,
        bank_bin -> Text,
        bank_name -> Text,
        holder_name -> Text,
        masked_number -> Text,
        status -> Text,
        return_reason -> Nullable<Text>,
        paid_on -> Nullable<Date>,
        settled_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    web_sessions,
    api_tokens,
    one_time_tokens,
    login_failures,
    outbox,
    policy_parameters,
    employers,
    people,
    employment_periods,
    declarations,
    contribution_months,
    employer_months,
    employer_payments,
    health_cards,
    api_clients,
    client_tokens,
    card_checks,
    idempotency_keys,
    documents,
    enrolments,
    enrolment_members,
    enrolment_instalments,
    reminders_sent,
    claims,
    claim_events,
    claim_messages,
    claim_documents,
    content_items,
    content_revisions,
    questions,
    public_holidays,
    payout_accounts,
    assignments,
    payment_runs,
    payment_items,
    coverage_targets,
    flags,
    submission_origins,
);

diesel::table! {
    assignments (subject_kind, subject_id) {
        subject_kind -> Text,
        subject_id -> Text,
        assignee_id -> Text,
        assigned_by -> Text,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Text,
        actor_role -> Text,
        action -> Text,
        subject -> Text,
        detail -> Text,
        client_ip -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}
