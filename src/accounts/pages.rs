//! The account pages: register, check your email, verify, log in and out, forgotten password,
//! reset, and the account overview. Forms post back to the same URL; invalid input re-renders
//! the form (422) with a message by each field and a summary at the top.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::web::{Data, Query, ServiceConfig};
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, post};
use askama::Template;
use serde::Deserialize;

use super::model::{PersonalId, Registration, RegistrationInput};
use super::session::{self, CitizenSession, SignedIn};
use crate::app::AppState;
use crate::error::{AppError, FieldError};
use crate::web::client::client_ip;
use crate::web::extract::PageForm;
use crate::web::pages::{PageContext, ok, render};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(register_form)
        .service(register_submit)
        .service(check_email)
        .service(verify_form)
        .service(verify_submit)
        .service(login_form)
        .service(login_submit)
        .service(logout)
        .service(forgot_form)
        .service(forgot_submit)
        .service(reset_form)
        .service(reset_submit)
        .service(overview);
}

/// Field messages for a form: `(field, message)` in the page's language.
#[derive(Default)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn from_error(error: AppError, ctx: &PageContext) -> Result<Self, AppError> {
        match error {
            AppError::Invalid(errors) => Ok(Self::from_fields(&errors, ctx)),
            AppError::OutOfBounds { field, min, max } => {
                let text = ctx
                    .t("field.out_of_bounds")
                    .replace("{min}", &ctx.lang.group_digits(min))
                    .replace("{max}", &ctx.lang.group_digits(max));
                Ok(Self::from_field(&field, text))
            }
            other => Err(other),
        }
    }

    pub fn from_fields(errors: &[FieldError], ctx: &PageContext) -> Self {
        Self(
            errors
                .iter()
                .map(|e| {
                    (
                        e.field.clone(),
                        ctx.lang
                            .catalog()
                            .text(&format!("field.{}", e.code.as_str()))
                            .to_owned(),
                    )
                })
                .collect(),
        )
    }

    pub fn message(key: &str, ctx: &PageContext) -> Self {
        Self::from_text(ctx.t(key).to_owned())
    }

    /// One field's message.
    pub fn from_field(field: &str, text: String) -> Self {
        Self(vec![(field.to_owned(), text)])
    }

    /// Messages already in the page's language, by field.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// A message about the whole form rather than one field.
    pub fn from_text(text: String) -> Self {
        Self(vec![(String::new(), text)])
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    pub fn all(&self) -> &[(String, String)] {
        &self.0
    }

    /// Messages that name their field ("Number of children: enter this."), for a summary of
    /// several alike messages; `label` gives a field's name in the page's language.
    pub fn labelled(self, label: impl Fn(&str) -> Option<String>) -> Self {
        Self(
            self.0
                .into_iter()
                .map(|(field, message)| match label(&field) {
                    Some(name) => {
                        let text = format!("{name}: {message}");
                        (field, text)
                    }
                    None => (field, message),
                })
                .collect(),
        )
    }

    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// A page that only says something, with an optional link onwards.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub ctx: PageContext,
    pub title_key: &'static str,
    pub body_key: &'static str,
    pub link: Option<(&'static str, String)>,
}

/// Pages opened from an emailed link carry its token in their URL: they must not leak it in a
/// `Referer` header (SECURITY.md AUTH-07).
fn without_referrer(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        actix_web::http::header::REFERRER_POLICY,
        actix_web::http::header::HeaderValue::from_static("no-referrer"),
    );
    response
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

// --- registration ---

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    personal_id: String,
    full_name: String,
    birth_date: String,
    email: String,
    phone: String,
    password: String,
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    ctx: PageContext,
    form: RegisterForm,
    errors: FormErrors,
}

#[get("/register")]
async fn register_form(ctx: PageContext) -> Result<HttpResponse, AppError> {
    ok(&RegisterPage {
        ctx,
        form: RegisterForm::default(),
        errors: FormErrors::default(),
    })
}

#[post("/register")]
async fn register_submit(
    ctx: PageContext,
    state: Data<AppState>,
    PageForm(form): PageForm<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let input = RegistrationInput {
        personal_id: &form.personal_id,
        full_name: &form.full_name,
        birth_date: &form.birth_date,
        email: &form.email,
        phone: &form.phone,
        password: &form.password,
    };
    let outcome = match Registration::parse(input, state.clock.now().date()) {
        Ok(registration) => super::register(&state, registration, ctx.lang).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => Ok(see_other("/check-email")),
        Err(error) => {
            let errors = FormErrors::from_error(error, &ctx)?;
            // Never echo the password back into the page.
            let form = RegisterForm {
                password: String::new(),
                ..form
            };
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage { ctx, form, errors },
            )
        }
    }
}

#[get("/check-email")]
async fn check_email(ctx: PageContext) -> Result<HttpResponse, AppError> {
    ok(&MessagePage {
        ctx,
        title_key: "check_email.title",
        body_key: "check_email.body",
        link: None,
    })
}

// --- email verification: the link opens a page whose button confirms (GET never changes state) ---

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TokenQuery {
    token: String,
}

#[derive(Template)]
#[template(path = "accounts/verify.html")]
struct VerifyPage {
    ctx: PageContext,
    token: String,
}

#[get("/verify-email")]
async fn verify_form(ctx: PageContext, query: Query<TokenQuery>) -> Result<HttpResponse, AppError> {
    ok(&VerifyPage {
        ctx,
        token: query.into_inner().token,
    })
    .map(without_referrer)
}

#[post("/verify-email")]
async fn verify_submit(
    ctx: PageContext,
    state: Data<AppState>,
    PageForm(form): PageForm<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    match super::verify_email(&state, &form.token).await {
        Ok(()) => ok(&MessagePage {
            ctx,
            title_key: "verified.title",
            body_key: "verified.body",
            link: Some(("verified.login", "/login".into())),
        }),
        Err(AppError::InvalidToken) => render(
            StatusCode::BAD_REQUEST,
            &MessagePage {
                ctx,
                title_key: "verify.invalid.title",
                body_key: "verify.invalid.body",
                link: Some(("verify.invalid.register", "/register".into())),
            },
        ),
        Err(other) => Err(other),
    }
}

// --- login and logout ---

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    login: String,
    password: String,
    next: String,
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    ctx: PageContext,
    login: String,
    next: String,
    errors: FormErrors,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

/// Only paths on this site are followed after login (no open redirect): `/` then printable
/// ASCII, never `//` or a backslash (browsers read both as another host), no spaces or
/// control characters (browsers drop some, and they are invalid in a header).
fn safe_next(next: &str) -> Option<&str> {
    let printable = next.bytes().all(|b| (0x21..=0x7e).contains(&b));
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    (printable && local).then_some(next)
}

#[get("/login")]
async fn login_form(ctx: PageContext, query: Query<NextQuery>) -> Result<HttpResponse, AppError> {
    let next = safe_next(&query.next).unwrap_or_default().to_owned();
    ok(&LoginPage {
        ctx,
        login: String::new(),
        next,
        errors: FormErrors::default(),
    })
}

#[post("/login")]
async fn login_submit(
    req: HttpRequest,
    ctx: PageContext,
    state: Data<AppState>,
    PageForm(form): PageForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let ip = client_ip(&req, state.settings.trust_forwarded_for);
    let refused = |ctx: PageContext, status: StatusCode, errors: FormErrors, form: LoginForm| {
        render(
            status,
            &LoginPage {
                ctx,
                login: form.login,
                next: form.next,
                errors,
            },
        )
    };
    if form.login.trim().is_empty()
        || form.password.is_empty()
        || form.login.len() > 254
        || form.password.len() > 1024
    {
        let errors = FormErrors::message("login.error.missing", &ctx);
        return refused(ctx, StatusCode::UNPROCESSABLE_ENTITY, errors, form);
    }
    match super::authenticate(&state, &form.login, &form.password, ip).await {
        Ok(account) => {
            let staff = account.kind == super::model::AccountKind::Staff.as_str();
            let user_agent = req
                .headers()
                .get("user-agent")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            // A session that existed before login ends: the new one has a new token.
            let previous = SignedIn::extract(&req).await.ok().map(|s| s.session_id);
            let cookie = session::start(&state, account.id, false, user_agent, previous).await?;
            let destination = match (staff, safe_next(&form.next)) {
                (true, _) => "/admin/mfa",
                (false, Some(next)) => next,
                (false, None) => "/account",
            };
            let mut response = see_other(destination);
            response
                .add_cookie(&cookie)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(response)
        }
        Err(AppError::InvalidCredentials) => {
            let errors = FormErrors::message("login.error.credentials", &ctx);
            refused(ctx, StatusCode::UNAUTHORIZED, errors, form)
        }
        Err(AppError::EmailNotVerified) => {
            let errors = FormErrors::message("login.error.unverified", &ctx);
            refused(ctx, StatusCode::FORBIDDEN, errors, form)
        }
        Err(AppError::TooManyRequests { retry_after }) => {
            let text = ctx
                .t("login.error.throttled")
                .replace("{seconds}", &retry_after.to_string());
            let errors = FormErrors::from_text(text);
            let mut response = refused(ctx, StatusCode::TOO_MANY_REQUESTS, errors, form)?;
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(retry_after),
            );
            Ok(response)
        }
        Err(other) => Err(other),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct EmptyForm {}

#[post("/logout")]
async fn logout(
    state: Data<AppState>,
    signed_in: Option<SignedIn>,
    PageForm(_): PageForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    if let Some(signed_in) = signed_in {
        session::end(&state, signed_in.session_id).await?;
    }
    let mut response = see_other("/?signed_out=1");
    response
        .add_removal_cookie(&session::removal_cookie(&state))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(response)
}

// --- forgotten password ---

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    ctx: PageContext,
    email: String,
    errors: FormErrors,
}

#[get("/password/forgot")]
async fn forgot_form(ctx: PageContext) -> Result<HttpResponse, AppError> {
    ok(&ForgotPage {
        ctx,
        email: String::new(),
        errors: FormErrors::default(),
    })
}

#[post("/password/forgot")]
async fn forgot_submit(
    ctx: PageContext,
    state: Data<AppState>,
    PageForm(form): PageForm<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    match super::request_password_reset(&state, &form.email).await {
        Ok(()) => ok(&MessagePage {
            ctx,
            title_key: "forgot.sent.title",
            body_key: "forgot.sent.body",
            link: None,
        }),
        Err(error) => {
            let errors = FormErrors::from_error(error, &ctx)?;
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ForgotPage {
                    ctx,
                    email: form.email,
                    errors,
                },
            )
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    token: String,
    password: String,
    password_confirmation: String,
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    ctx: PageContext,
    token: String,
    errors: FormErrors,
}

fn invalid_reset_link(ctx: PageContext) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::BAD_REQUEST,
        &MessagePage {
            ctx,
            title_key: "reset.invalid.title",
            body_key: "reset.invalid.body",
            link: Some(("reset.invalid.again", "/password/forgot".into())),
        },
    )
}

#[get("/password/reset")]
async fn reset_form(
    ctx: PageContext,
    state: Data<AppState>,
    query: Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let token = query.into_inner().token;
    if !super::reset_token_is_live(&state, &token).await? {
        return invalid_reset_link(ctx).map(without_referrer);
    }
    ok(&ResetPage {
        ctx,
        token,
        errors: FormErrors::default(),
    })
    .map(without_referrer)
}

#[post("/password/reset")]
async fn reset_submit(
    ctx: PageContext,
    state: Data<AppState>,
    PageForm(form): PageForm<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let outcome = match super::passwords_match(&form.password, &form.password_confirmation) {
        Ok(()) => super::reset_password(&state, &form.token, &form.password).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => ok(&MessagePage {
            ctx,
            title_key: "reset.done.title",
            body_key: "reset.done.body",
            link: Some(("verified.login", "/login".into())),
        }),
        Err(AppError::InvalidToken) => invalid_reset_link(ctx),
        Err(AppError::Invalid(errors)) => {
            // The API calls the field new_password; the form calls it password.
            let errors: Vec<FieldError> = errors
                .into_iter()
                .map(|e| FieldError {
                    field: if e.field == "new_password" {
                        "password".into()
                    } else {
                        e.field
                    },
                    ..e
                })
                .collect();
            let errors = FormErrors::from_fields(&errors, &ctx);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ResetPage {
                    ctx,
                    token: form.token,
                    errors,
                },
            )
        }
        Err(other) => Err(other),
    }
}

// --- the account overview ---

#[derive(Template)]
#[template(path = "accounts/overview.html")]
struct OverviewPage {
    ctx: PageContext,
    full_name: String,
    email: String,
    phone: String,
    birth_date: String,
    personal_id: String,
}

#[get("/account")]
async fn overview(
    ctx: PageContext,
    CitizenSession(me): CitizenSession,
) -> Result<HttpResponse, AppError> {
    let account = me.account;
    ok(&OverviewPage {
        ctx,
        full_name: account.full_name,
        email: account.email,
        phone: account.phone.unwrap_or_default(),
        birth_date: account
            .birth_date
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        personal_id: account
            .personal_id
            .as_deref()
            .map(PersonalId::masked)
            .unwrap_or_default(),
    })
}
