//! Content editors at /admin/content: a draft stays hidden, a preview renders the sanitised page
//! without saving, publishing and scheduling make it public (scheduled ones when their time
//! comes), archiving takes it down, every save is a revision that can be compared and restored,
//! and each change is audited. Only content editors and administrators may do any of it.

use awc::http::StatusCode;
use diesel::prelude::*;

use ansinh::accounts::model::Role;
use ansinh::audit::{self, Verification};
use ansinh::db::DbConn;

use crate::staff::signed_in_staff;
use crate::support::{Browser, Citizen, TestApp, form_value, location, on_both_backends};

fn revision_count(conn: &mut DbConn, id: &str) -> QueryResult<i64> {
    use ansinh::db::schema::content_revisions;
    content_revisions::table
        .filter(content_revisions::item_id.eq(id))
        .count()
        .get_result(conn)
}

fn revision_body(conn: &mut DbConn, id: &str, revision: i32) -> QueryResult<String> {
    use ansinh::db::schema::content_revisions;
    content_revisions::table
        .find((id, revision))
        .select(content_revisions::body_md)
        .first(conn)
}

async fn revisions(app: &TestApp, id: &str) -> i64 {
    let id = id.to_owned();
    app.query(move |c| revision_count(c, &id)).await
}

async fn body_of(app: &TestApp, id: &str, revision: i32) -> String {
    let id = id.to_owned();
    app.query(move |c| revision_body(c, &id, revision)).await
}

fn item_count(conn: &mut DbConn) -> QueryResult<i64> {
    use ansinh::db::schema::content_items;
    content_items::table.count().get_result(conn)
}

/// The `content.*` audit rows, oldest first: (action, subject, actor role).
fn content_events(conn: &mut DbConn) -> QueryResult<Vec<(String, String, String)>> {
    use ansinh::db::schema::audit_events;
    audit_events::table
        .filter(audit_events::action.like("content.%"))
        .order(audit_events::id.asc())
        .select((
            audit_events::action,
            audit_events::subject,
            audit_events::actor_role,
        ))
        .load(conn)
}

fn audit_count(conn: &mut DbConn) -> QueryResult<i64> {
    use ansinh::db::schema::audit_events;
    audit_events::table.count().get_result(conn)
}

/// The item id a successful form post redirected to (`/admin/content/{id}?done=…`).
fn item_id(reply: &crate::support::Reply) -> String {
    let to = location(reply);
    assert!(to.starts_with("/admin/content/"), "{to}: {}", reply.text);
    to["/admin/content/".len()..]
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

/// An article's fields as an editor types them.
fn article<'a>(title: &'a str, slug: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("slug", slug),
        ("category", "unemployment"),
        ("tags", "thất nghiệp, thử"),
        ("summary", "Tóm tắt ngắn."),
        ("body_md", body),
    ]
}

fn with<'a>(fields: &[(&'a str, &'a str)], more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = fields.to_vec();
    all.extend_from_slice(more);
    all
}

/// A moment as typed in the schedule field: Vietnam's time, to the minute.
fn vietnam_field(at: chrono::NaiveDateTime) -> String {
    (at + chrono::Duration::hours(7))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

const OLD_BODY: &str = "Người lao động được hưởng trợ cấp.\n\nMức hưởng 60% lương bình quân.\n\nNộp hồ sơ tại trung tâm dịch vụ việc làm.";
const NEW_BODY: &str = "Người lao động được hưởng trợ cấp.\n\nMức hưởng 65% lương bình quân.\n\nNộp hồ sơ tại trung tâm dịch vụ việc làm.";

on_both_backends! {
    async fn an_editor_drafts_previews_publishes_edits_restores_schedules_and_archives(backend) {
        let app = TestApp::spawn(backend).await;
        let mut editor = signed_in_staff(&app, "bientap@vss.example.vn", Role::ContentEditor).await;
        assert!(editor.get("/admin").await.text.contains("href=\"/admin/content\""), "linked from the staff home");
        let list = editor.get("/admin/content").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.text);
        // Every seeded item is listed, with the forms to start new ones.
        assert!(list.text.contains("AS-09") && list.text.contains("action=\"/admin/content/new\""), "{}", list.text);

        // A Vietnamese draft: saved, and not public.
        let new = "/admin/content/new?kind=article&language=vi";
        let form = editor.get(new).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.text);
        let csrf = form_value(&form.text, "csrf_token").unwrap();
        let fields = article("Trợ cấp thử nghiệm", "tro-cap-thu-nghiem", OLD_BODY);
        let created = editor.post_form(new, &csrf, &with(&fields, &[("action", "save")])).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
        let id = item_id(&created);
        assert!(location(&created).contains("done=save&revision=1"), "{}", location(&created));
        assert_eq!(app.get("/api/v1/articles/tro-cap-thu-nghiem").await.status, StatusCode::NOT_FOUND);
        let page = editor.get(location(&created)).await;
        assert!(page.text.contains("role=\"status\"") && page.text.contains("Bản nháp"), "{}", page.text);
        let edit = format!("/admin/content/{id}");
        assert_eq!(revisions(&app, &id).await, 1);

        // A preview renders the sanitised page on the same page and saves nothing.
        let hostile = "Đoạn **đậm** ở đây.\n\n<script>alert('x')</script>\n\n[bấm](javascript:alert(1))";
        let preview = editor.post_form(&edit, &csrf, &with(
            &article("Trợ cấp thử nghiệm", "tro-cap-thu-nghiem", hostile),
            &[("action", "preview"), ("base_revision", "1")],
        )).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
        assert!(preview.text.contains("id=\"preview\"") && preview.text.contains("Xem trước — chưa được lưu"), "{}", preview.text);
        assert!(preview.text.contains("<strong>đậm</strong>"), "{}", preview.text);
        assert!(!preview.text.contains("<script>alert") && !preview.text.contains("href=\"javascript:"), "{}", preview.text);
        assert_eq!(revisions(&app, &id).await, 1);
        assert_eq!(body_of(&app, &id, 1).await, OLD_BODY);

        // Published: public at once; the text did not change, so no new revision.
        let published = editor.post_form(&edit, &csrf, &with(&fields, &[("action", "publish"), ("base_revision", "1")])).await;
        assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.text);
        assert!(location(&published).contains("done=publish&revision=1"), "{}", location(&published));
        let public = app.get("/api/v1/articles/tro-cap-thu-nghiem").await;
        assert_eq!(public.status, StatusCode::OK, "{}", public.text);
        assert!(public.body["body_html"].as_str().unwrap().contains("60%"), "{}", public.text);
        assert_eq!(revisions(&app, &id).await, 1);

        // Edited and saved: a second revision, live at once since the item is published.
        let edited = article("Trợ cấp thử nghiệm", "tro-cap-thu-nghiem", NEW_BODY);
        let saved = editor.post_form(&edit, &csrf, &with(&edited, &[("action", "save"), ("base_revision", "1")])).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
        assert!(location(&saved).contains("revision=2"), "{}", location(&saved));
        assert_eq!(revisions(&app, &id).await, 2);
        assert!(app.get("/api/v1/articles/tro-cap-thu-nghiem").await.body["body_html"].as_str().unwrap().contains("65%"));

        // The diff of revision 1 against the current text shows the changed line.
        let page = editor.get(&edit).await;
        assert!(page.text.contains(&format!("href=\"/admin/content/{id}/revisions/1\"")), "{}", page.text);
        assert!(page.text.contains("\">Lê Văn Cường</td>"), "the author is named: {}", page.text);
        let diff = editor.get(&format!("/admin/content/{id}/revisions/1")).await;
        assert_eq!(diff.status, StatusCode::OK, "{}", diff.text);
        assert!(diff.text.contains("Mức hưởng 60% lương bình quân.</del>"), "{}", diff.text);
        assert!(diff.text.contains("Mức hưởng 65% lương bình quân.</ins>"), "{}", diff.text);
        assert!(!diff.text.contains("Người lao động được hưởng trợ cấp.</del>"), "unchanged lines are not marked: {}", diff.text);
        assert_eq!(editor.get(&format!("/admin/content/{id}/revisions/9")).await.status, StatusCode::NOT_FOUND);

        // Restoring revision 1 saves its text as revision 3; the public page shows it.
        let restored = editor.post_form(&format!("/admin/content/{id}/revisions/1/restore"), &csrf, &[]).await;
        assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.text);
        assert!(location(&restored).contains("done=restore&revision=3&restored=1"), "{}", location(&restored));
        assert_eq!(revisions(&app, &id).await, 3);
        assert_eq!(body_of(&app, &id, 3).await, OLD_BODY);
        assert_eq!(body_of(&app, &id, 2).await, NEW_BODY, "history is kept");
        let public = app.get("/api/v1/articles/tro-cap-thu-nghiem").await;
        assert!(public.body["body_html"].as_str().unwrap().contains("60%"), "{}", public.text);
        let current = editor.get(&format!("/admin/content/{id}/revisions/3")).await;
        assert!(!current.text.contains("/restore\""), "the current revision has nothing to restore: {}", current.text);

        // Another item scheduled for two hours on: hidden now, public once the time has come.
        let at = vietnam_field(app.clock.now() + chrono::Duration::hours(2));
        let later = article("Lịch chi trả tháng tới", "lich-chi-tra-thang-toi", "Chi trả từ ngày 5.");
        let scheduled = editor.post_form(new, &csrf, &with(&later, &[("action", "schedule"), ("publish_at", &at)])).await;
        assert_eq!(scheduled.status, StatusCode::SEE_OTHER, "{}", scheduled.text);
        let scheduled_id = item_id(&scheduled);
        assert_eq!(app.get("/api/v1/articles/lich-chi-tra-thang-toi").await.status, StatusCode::NOT_FOUND);
        let listed = editor.get("/admin/content?kind=article&language=vi&status=scheduled").await;
        assert!(listed.text.contains(&format!("href=\"/admin/content/{scheduled_id}\"")) && !listed.text.contains(&format!("href=\"{edit}\"")), "{}", listed.text);

        // Archived: off the public pages.
        let archived = editor.post_form(&edit, &csrf, &with(&fields, &[("action", "archive"), ("base_revision", "3")])).await;
        assert_eq!(archived.status, StatusCode::SEE_OTHER, "{}", archived.text);
        assert_eq!(app.get("/api/v1/articles/tro-cap-thu-nghiem").await.status, StatusCode::NOT_FOUND);
        assert_eq!(revisions(&app, &id).await, 3);

        app.clock.advance(chrono::Duration::hours(3));
        assert_eq!(app.get("/api/v1/articles/lich-chi-tra-thang-toi").await.status, StatusCode::OK);

        // One audit row per change, none for the preview, in the chained log.
        let events = app.query(content_events).await;
        let subject = format!("content:{id}");
        let later_subject = format!("content:{scheduled_id}");
        let expected: Vec<(&str, &str)> = vec![
            ("content.save", &subject),
            ("content.publish", &subject),
            ("content.save", &subject),
            ("content.restore", &subject),
            ("content.schedule", &later_subject),
            ("content.archive", &subject),
        ];
        let found: Vec<(&str, &str)> = events.iter().map(|(a, s, _)| (a.as_str(), s.as_str())).collect();
        assert_eq!(found, expected);
        assert!(events.iter().all(|(_, _, role)| role == "content_editor"), "{events:?}");
        assert_eq!(app.state().db.read(audit::verify).await.unwrap(), Verification::Ok { rows: 7 });
    }

    async fn only_content_editors_and_administrators_edit_content(backend) {
        let app = TestApp::spawn(backend).await;
        for (email, role) in [("canbo@vss.example.vn", Role::Clerk), ("duyet@vss.example.vn", Role::Approver)] {
            let mut staff = signed_in_staff(&app, email, role).await;
            assert_eq!(staff.get("/admin/content").await.status, StatusCode::FORBIDDEN, "{role:?}");
            assert_eq!(staff.get("/admin/content/new?kind=article&language=vi").await.status, StatusCode::FORBIDDEN);
            let home = staff.get("/admin").await;
            assert!(!home.text.contains("href=\"/admin/content\""), "{role:?} is not shown the link");
            let csrf = form_value(&home.text, "csrf_token").unwrap();
            let denied = staff.post_form("/admin/content/new?kind=article&language=vi", &csrf,
                &with(&article("Bài", "bai", "Nội dung."), &[("action", "publish")])).await;
            assert_eq!(denied.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(app.get("/api/v1/articles/bai").await.status, StatusCode::NOT_FOUND);

        // Administrators may.
        let mut admin = signed_in_staff(&app, "quantri@vss.example.vn", Role::Admin).await;
        assert!(admin.get("/admin").await.text.contains("href=\"/admin/content\""));
        assert_eq!(admin.get("/admin/content").await.status, StatusCode::OK);

        // Anonymous visitors are sent to log in; citizens are refused.
        assert_eq!(location(&Browser::new(&app).get("/admin/content").await), "/login?next=/admin/content");
        let citizen = Citizen::new();
        app.registered_citizen(&citizen).await;
        let mut browser = Browser::new(&app);
        browser.log_in(&citizen.email, &citizen.password).await;
        assert_eq!(browser.get("/admin/content").await.status, StatusCode::FORBIDDEN);
    }

    async fn slug_clashes_and_missing_title_or_body_are_refused_on_the_page_and_nothing_is_saved(backend) {
        let app = TestApp::spawn(backend).await;
        let mut editor = signed_in_staff(&app, "bientap@vss.example.vn", Role::ContentEditor).await;
        let csrf = editor.csrf_token("/admin/content/new?kind=procedure&language=vi").await;
        let items_before = app.query(item_count).await;
        let audit_before = app.query(audit_count).await;

        // AS-09 is a seeded procedure in Vietnamese.
        let clash = editor.post_form("/admin/content/new?kind=procedure&language=vi", &csrf, &[
            ("title", "Thủ tục trùng mã"), ("slug", "AS-09"), ("body_md", "Nội dung."), ("action", "save"),
        ]).await;
        assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", clash.text);
        assert!(clash.text.contains("id=\"slug-error\"") && clash.text.contains("Mã thủ tục: Một mục khác cùng loại và cùng ngôn ngữ đã dùng đường dẫn này"), "{}", clash.text);
        // What was typed is kept.
        assert!(clash.text.contains("value=\"Thủ tục trùng mã\""), "{}", clash.text);

        let empty = editor.post_form("/admin/content/new?kind=article&language=vi", &csrf, &[
            ("title", "  "), ("slug", "bai-trong"), ("body_md", "\r\n"), ("action", "publish"),
        ]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.text);
        assert!(empty.text.contains("id=\"title-error\"") && empty.text.contains("id=\"body_md-error\""), "{}", empty.text);

        let past = editor.post_form("/admin/content/new?kind=faq&language=en", &csrf, &[
            ("title", "When is it paid?"), ("body_md", "On the 5th."), ("action", "schedule"),
            ("publish_at", &vietnam_field(app.clock.now() - chrono::Duration::hours(1))),
        ]).await;
        assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", past.text);
        assert!(past.text.contains("id=\"publish_at-error\""), "{}", past.text);

        // Renaming an existing item onto another's slug is refused the same way.
        let id: String = app.query(|c| {
            use ansinh::db::schema::content_items;
            content_items::table.filter(content_items::slug.eq("AS-10")).filter(content_items::lang.eq("vi"))
                .select(content_items::id).first(c)
        }).await;
        let page = editor.get(&format!("/admin/content/{id}")).await;
        let title = form_value(&page.text, "title").unwrap();
        let renamed = editor.post_form(&format!("/admin/content/{id}"), &csrf, &[
            ("title", &title), ("slug", "AS-09"), ("body_md", "Nội dung."), ("action", "save"),
        ]).await;
        assert_eq!(renamed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", renamed.text);
        assert!(renamed.text.contains("id=\"slug-error\""), "{}", renamed.text);

        assert_eq!(app.query(item_count).await, items_before);
        assert_eq!(app.query(audit_count).await, audit_before, "no audit row for a refused change");
        assert_eq!(app.get("/api/v1/procedures/AS-10").await.status, StatusCode::OK);
    }

    async fn the_other_language_version_is_created_from_the_item_in_the_same_group(backend) {
        let app = TestApp::spawn(backend).await;
        let mut editor = signed_in_staff(&app, "bientap@vss.example.vn", Role::ContentEditor).await;
        let new = "/admin/content/new?kind=article&language=vi";
        let csrf = editor.csrf_token(new).await;
        let created = editor.post_form(new, &csrf, &with(
            &article("Cách đọc thông báo", "cach-doc-thong-bao", "Nội dung tiếng Việt."), &[("action", "publish")],
        )).await;
        let vi_id = item_id(&created);
        let page = editor.get(&format!("/admin/content/{vi_id}")).await;
        assert!(page.text.contains(&format!("href=\"/admin/content/{vi_id}/translation\"")), "{}", page.text);

        // The form starts from the Vietnamese text, to translate.
        let form = editor.get(&format!("/admin/content/{vi_id}/translation")).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.text);
        assert!(form.text.contains("Nội dung tiếng Việt."), "{}", form.text);
        let translated = editor.post_form(&format!("/admin/content/{vi_id}/translation"), &csrf, &with(
            &article("How to read a notice", "how-to-read-a-notice", "English text."), &[("action", "publish")],
        )).await;
        assert_eq!(translated.status, StatusCode::SEE_OTHER, "{}", translated.text);
        let en_id = item_id(&translated);
        assert_ne!(en_id, vi_id);

        // The two are one item in two languages.
        let vi = app.get("/api/v1/articles/cach-doc-thong-bao").await;
        assert_eq!(vi.body["translation"], "how-to-read-a-notice", "{}", vi.text);
        let page = editor.get(&format!("/admin/content/{vi_id}")).await;
        assert!(page.text.contains(&format!("href=\"/admin/content/{en_id}\"")), "{}", page.text);
        let again = editor.get(&format!("/admin/content/{vi_id}/translation")).await;
        assert_eq!(location(&again), format!("/admin/content/{en_id}"));
    }

    async fn a_save_over_someone_elses_newer_revision_is_refused(backend) {
        let app = TestApp::spawn(backend).await;
        let mut editor = signed_in_staff(&app, "bientap@vss.example.vn", Role::ContentEditor).await;
        let new = "/admin/content/new?kind=faq&language=vi";
        let csrf = editor.csrf_token(new).await;
        let created = editor.post_form(new, &csrf, &[("title", "Khi nào được trả?"), ("body_md", "Ngày 5."), ("action", "save")]).await;
        let edit = format!("/admin/content/{}", item_id(&created));
        // Two tabs opened on revision 1; the first saves.
        let first = editor.post_form(&edit, &csrf, &[("title", "Khi nào được trả?"), ("body_md", "Ngày 10."), ("action", "save"), ("base_revision", "1")]).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text);
        let second = editor.post_form(&edit, &csrf, &[("title", "Khi nào được trả?"), ("body_md", "Ngày 15."), ("action", "save"), ("base_revision", "1")]).await;
        assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text);
        assert!(second.text.contains("Ngày 15."), "what was typed is kept: {}", second.text);
        assert!(editor.get(&edit).await.text.contains("Ngày 10."));
        // Saving the same text again changes nothing.
        let same = editor.post_form(&edit, &csrf, &[("title", "Khi nào được trả?"), ("body_md", "Ngày 10."), ("action", "save"), ("base_revision", "2")]).await;
        assert!(location(&same).contains("done=unchanged&revision=2"), "{}", location(&same));
    }
}
