//! Each of the 21 calls over real HTTP: status, JSON body, state changes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn list_accounts_returns_the_vendor_example() {
    let sb = start().await;
    let reply = sb.get(&api_q("/accounts", "")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let expected = json!({"response": {"accounts": [
        {
            "customer_email": "john@example.com",
            "account_id": "9900a49c321c871cd1a572a1dc21a33c",
            "domain": "mysupport.ladesk.com",
            "customer_name": "John Oniell",
            "company": "QualityUnit",
            "date_created": "2012-11-10 07:12:51",
            "variation_id": "t7f4u7fd",
            "status": "a",
            "version": "4.0.5.1",
            "last_login_date": "2013-01-10 07:12:51"
        },
        {
            "customer_email": "marcus@sonatha.com",
            "account_id": "f7u4g79c321cf77td1a572a1dcg7uyf4",
            "domain": "sonatha.ladesk.com",
            "customer_name": "Marcus Dough",
            "company": "Sonatha",
            "date_created": "2013-02-10 07:12:51",
            "variation_id": "7h4r7s54",
            "status": "s",
            "version": "4.0.4.1",
            "last_login_date": "2013-03-10 07:12:51"
        }
    ]}});
    assert_eq!(reply.json(), expected);
    // Field order is the vendor's, too.
    let text = reply.text();
    assert!(text.find("\"customer_email\"") < text.find("\"account_id\""));
    assert!(text.find("\"version\"") < text.find("\"last_login_date\""));
}

#[tokio::test]
async fn list_accounts_filters_on_date_created_inclusively() {
    let sb = start().await;
    let ids = |r: &Reply| -> Vec<String> {
        r.response()["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let from = sb
        .get(&api_q("/accounts", "created_from=2013-02-10+07:12:51"))
        .await;
    assert_eq!(ids(&from), [ACCOUNT2]);
    let to = sb
        .get(&api_q("/accounts", "created_to=2012-11-10%2007%3A12%3A51"))
        .await;
    assert_eq!(ids(&to), [ACCOUNT1]);
    let none = sb
        .get(&api_q(
            "/accounts",
            "created_from=2014-01-01+00:00:00&created_to=2014-12-31+00:00:00",
        ))
        .await;
    assert_eq!(none.response(), json!({"accounts": []}));
    let bad = sb.get(&api_q("/accounts", "created_from=2014-01-01")).await;
    assert!(bad.assert_error(400).contains("created_from"));
}

#[tokio::test]
async fn get_account() {
    let sb = start().await;
    let reply = sb.get(&api_q(&format!("/accounts/{ACCOUNT2}"), "")).await;
    assert_eq!(reply.status, 200);
    let r = reply.response();
    assert_eq!(r["account_id"], ACCOUNT2);
    assert_eq!(r["status"], "s");
    assert_eq!(r["domain"], "sonatha.ladesk.com");
    assert_eq!(r.as_object().unwrap().len(), 10);
}

#[tokio::test]
async fn create_account_then_list_and_get_show_it() {
    let sb = start().await;
    let reply = sb
        .form(
            "POST",
            &api("/accounts"),
            &with_key(
                "variation_id=r7g4y7ya&customer_email=ann%40acme.test&customer_name=Ann+Lee\
                 &subdomain=acme&company=Acme+%26+Co&language=en-US\
                 &extra_params=%7B%22phone%22%3A%22%2B1%22%7D",
            ),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let r = reply.response();
    assert_eq!(r["status"], "OK");
    assert_eq!(r["statuscode"], 0);
    assert_eq!(r["account_status"], "c");
    let id = r["account_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));

    let list = sb.get(&api_q("/accounts", "")).await.response();
    let accounts = list["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    let created = &accounts[2];
    assert_eq!(created["account_id"], id.as_str());
    assert_eq!(created["domain"], "acme.ladesk.com");
    assert_eq!(created["company"], "Acme & Co");
    assert_eq!(created["customer_name"], "Ann Lee");
    assert_eq!(created["status"], "c");
    assert_eq!(created["version"], "5.0.0.0");
    assert_eq!(created["last_login_date"], serde_json::Value::Null);
    assert_eq!(created["variation_id"], "r7g4y7ya");
    let date = created["date_created"].as_str().unwrap();
    assert!(sandbox::clock::is_datetime(date), "{date}");

    let users = sb
        .get(&api_q(&format!("/accounts/{id}/users"), ""))
        .await
        .response();
    assert_eq!(users["users"][0]["email"], "ann@acme.test");
    assert_eq!(users["users"][0]["role_type"], "la_own");
    let attr = sb
        .get(&api_q(&format!("/accounts/{id}/attributes/max_agents"), ""))
        .await;
    assert_eq!(attr.response(), json!({"value": "99"}));
}

#[tokio::test]
async fn create_account_checks_its_input() {
    let sb = start().await;
    let base = "variation_id=r7g4y7ya&customer_email=a%40b.co&customer_name=A";
    let missing = sb.form("POST", &api("/accounts"), &with_key(base)).await;
    assert_eq!(missing.assert_error(400), "parameter subdomain is missing");
    let empty = sb
        .form(
            "POST",
            &api("/accounts"),
            &with_key(&format!("{base}&subdomain=")),
        )
        .await;
    assert_eq!(empty.assert_error(400), "parameter subdomain is missing");
    let taken = sb
        .form(
            "POST",
            &api("/accounts"),
            &with_key(&format!("{base}&subdomain=mysupport")),
        )
        .await;
    assert!(taken.assert_error(400).contains("already taken"));
    let other_top = sb
        .form(
            "POST",
            &api("/accounts"),
            &with_key(&format!(
                "{base}&subdomain=mysupport&top_domain=example.org"
            )),
        )
        .await;
    assert_eq!(other_top.status, 200);
    let bad_variation = sb
        .form(
            "POST",
            &api("/accounts"),
            &with_key("variation_id=nope&customer_email=a%40b.co&customer_name=A&subdomain=abcd"),
        )
        .await;
    assert!(bad_variation.assert_error(404).contains("variation nope"));
    let bad_extra = sb
        .form(
            "POST",
            &api("/accounts"),
            &with_key(&format!("{base}&subdomain=abcde&extra_params=phone")),
        )
        .await;
    assert!(bad_extra.assert_error(400).contains("extra_params"));
}

#[tokio::test]
async fn account_status_get_and_change() {
    let sb = start().await;
    let status_path = format!("/accounts/{ACCOUNT1}/status");
    let before = sb.get(&api_q(&status_path, "")).await;
    assert_eq!(before.status, 200);
    assert_eq!(before.json(), json!({"response": {"account_status": "a"}}));

    sb.form("PUT", &api(&status_path), &with_key("status=s&note=unpaid"))
        .await
        .assert_ok_status();
    let after = sb.get(&api_q(&status_path, "")).await;
    assert_eq!(after.response()["account_status"], "s");
    let account = sb.get(&api_q(&format!("/accounts/{ACCOUNT1}"), "")).await;
    assert_eq!(account.response()["status"], "s");

    let no_note = sb
        .form("PUT", &api(&status_path), &with_key("status=a"))
        .await;
    assert_eq!(no_note.assert_error(400), "parameter note is missing");
    let bad_value = sb
        .form("PUT", &api(&status_path), &with_key("status=x&note=n"))
        .await;
    assert!(bad_value.assert_error(400).contains("status"));

    sb.form("PUT", &api(&status_path), &with_key("status=t&note=bye"))
        .await
        .assert_ok_status();
    let revive = sb
        .form("PUT", &api(&status_path), &with_key("status=a&note=back"))
        .await;
    assert!(revive.assert_error(400).contains("terminated"));
}

#[tokio::test]
async fn change_account_variation() {
    let sb = start().await;
    let path = format!("/accounts/{ACCOUNT1}/variation");
    sb.form(
        "PUT",
        &api(&path),
        &with_key("variationid=r7g4y7ya&variation_params=a,b"),
    )
    .await
    .assert_ok_status();
    let account = sb.get(&api_q(&format!("/accounts/{ACCOUNT1}"), "")).await;
    assert_eq!(account.response()["variation_id"], "r7g4y7ya");
    let unknown = sb
        .form("PUT", &api(&path), &with_key("variationid=zzz"))
        .await;
    assert!(unknown.assert_error(404).contains("variation zzz"));
    let missing = sb.form("PUT", &api(&path), &with_key("")).await;
    assert_eq!(
        missing.assert_error(400),
        "parameter variationid is missing"
    );
}

#[tokio::test]
async fn check_domain() {
    let sb = start().await;
    let check = |q: &str| api_q("/signupcheck/domain", q);
    let free = sb.get(&check("productid=la&subdomain=newco")).await;
    assert_eq!(free.status, 200);
    assert_eq!(
        free.json(),
        json!({"response": {"is_valid": "1", "error": null}})
    );
    let taken = sb
        .get(&check("productid=la&subdomain=mysupport"))
        .await
        .response();
    assert_eq!(taken["is_valid"], "0");
    assert!(taken["error"]
        .as_str()
        .unwrap()
        .contains("mysupport.ladesk.com"));
    let elsewhere = sb
        .get(&check(
            "productid=la&subdomain=mysupport&customtopdomain=example.org",
        ))
        .await
        .response();
    assert_eq!(elsewhere["is_valid"], "1");
    for bad in ["ab", "Upper", "under_score", "-dash"] {
        let r = sb
            .get(&check(&format!("productid=la&subdomain={bad}")))
            .await
            .response();
        assert_eq!(r["is_valid"], "0", "{bad}");
        assert!(r["error"].is_string());
    }
    let no_product = sb.get(&check("subdomain=newco")).await;
    assert_eq!(
        no_product.assert_error(400),
        "parameter productid is missing"
    );
}

#[tokio::test]
async fn check_email() {
    let sb = start().await;
    let check = |q: &str| api_q("/signupcheck/email", q);
    let ok = sb.get(&check("productid=la&email=new%40example.org")).await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.json(),
        json!({"response": {"is_valid": "1", "error": null}})
    );
    let used = sb
        .get(&check("productid=la&email=john%40example.com"))
        .await
        .response();
    assert_eq!(used["is_valid"], "0");
    assert!(used["error"].is_string());
    let invalid = sb.get(&check("productid=la&email=nope")).await.response();
    assert_eq!(invalid["is_valid"], "0");
    let missing = sb.get(&check("productid=la")).await;
    assert_eq!(missing.assert_error(400), "parameter email is missing");
}

#[tokio::test]
async fn list_variations() {
    let sb = start().await;
    let reply = sb.get(&api_q("/variations", "")).await;
    assert_eq!(reply.status, 200);
    let variations = reply.response()["variations"].as_array().unwrap().clone();
    assert_eq!(
        variations[0],
        json!({
            "name": "Free",
            "id": "r7g4y7ya",
            "created": "2012-05-04 11:15:14",
            "description": "Free variation. No restrictions.",
            "product": "LiveAgent",
            "addons": [
                {"name": "Proactive chat", "id": "p4g7y4ft7", "price": "99.90", "description": "Proactive chat"},
                {"name": "Gamification", "id": "p9t5s4s5", "price": "19.40", "description": "Gamification"}
            ]
        })
    );
    let ids: Vec<&str> = variations
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["r7g4y7ya", "t7f4u7fd", "7h4r7s54"]);
    for v in &variations {
        for addon in v["addons"].as_array().unwrap() {
            let price = addon["price"].as_str().unwrap();
            assert_eq!(price.split('.').nth(1).map(str::len), Some(2), "{price}");
        }
    }
}

#[tokio::test]
async fn account_attribute_get_and_set() {
    let sb = start().await;
    let path = format!("/accounts/{ACCOUNT1}/attributes/max_agents");
    let get = sb.get(&api_q(&path, "")).await;
    assert_eq!(get.status, 200);
    assert_eq!(get.json(), json!({"response": {"value": "99"}}));
    sb.form("PUT", &api(&path), &with_key("value=5"))
        .await
        .assert_ok_status();
    assert_eq!(sb.get(&api_q(&path, "")).await.response()["value"], "5");
    let negative = sb.form("PUT", &api(&path), &with_key("value=-1")).await;
    negative.assert_error(400);
    let text = sb.form("PUT", &api(&path), &with_key("value=many")).await;
    text.assert_error(400);
    let unknown = sb
        .get(&api_q(
            &format!("/accounts/{ACCOUNT1}/attributes/max_chats"),
            "",
        ))
        .await;
    assert!(unknown.assert_error(404).contains("max_chats"));
}

#[tokio::test]
async fn account_users_list_and_remove() {
    let sb = start().await;
    let list = sb
        .get(&api_q(&format!("/accounts/{ACCOUNT1}/users"), ""))
        .await;
    assert_eq!(list.status, 200);
    assert_eq!(
        list.json(),
        json!({"response": {"users": [{
            "userid": "user456",
            "email": "user@example.com",
            "firstname": "John",
            "lastname": "User",
            "role": "Owner",
            "status": "A",
            "role_type": "la_own",
            "date_created": "2013-05-04 12:22:11"
        }]}})
    );
    let remove = sb
        .delete(&api_q(&format!("/accounts/{ACCOUNT1}/users/user456"), ""))
        .await;
    remove.assert_ok_status();
    let after = sb
        .get(&api_q(&format!("/accounts/{ACCOUNT1}/users"), ""))
        .await;
    assert_eq!(after.response(), json!({"users": []}));
    let again = sb
        .delete(&api_q(&format!("/accounts/{ACCOUNT1}/users/user456"), ""))
        .await;
    assert!(again.assert_error(404).contains("user456"));
}

#[tokio::test]
async fn account_addons_list_and_add() {
    let sb = start().await;
    let path = format!("/accounts/{ACCOUNT1}/addons");
    let list = sb.get(&api_q(&path, "")).await;
    assert_eq!(list.status, 200);
    let expected = json!([
        {
            "id": "abg7y8e4",
            "description": "Proactive chat",
            "name": "Proactive chat",
            "price": "99.90",
            "valid_from": "2009-11-12 15:21:32",
            "valid_to": null,
            "license_code": "ss5l5sa6",
            "status": "A"
        },
        {
            "id": "t7f7y4gt",
            "description": "Gamification",
            "name": "Gamification",
            "price": "19.40",
            "valid_from": "2009-11-12 15:21:32",
            "valid_to": "2010-10-08 12:15:48",
            "license_code": "g7s86aa8",
            "status": "A"
        }
    ]);
    assert_eq!(list.response()["addons"], expected);

    sb.form(
        "POST",
        &api(&path),
        &with_key("addon_id=p9t5s4s5&valid_to=2030-01-01+00%3A00%3A00"),
    )
    .await
    .assert_ok_status();
    let addons = sb.get(&api_q(&path, "")).await.response()["addons"].clone();
    let added = &addons[2];
    assert_eq!(added["id"], "p9t5s4s5");
    assert_eq!(added["name"], "Gamification");
    assert_eq!(added["price"], "19.40");
    assert_eq!(added["valid_to"], "2030-01-01 00:00:00");
    assert_eq!(added["status"], "A");
    assert_eq!(added["license_code"].as_str().unwrap().len(), 8);

    let unknown = sb
        .form("POST", &api(&path), &with_key("addon_id=zzz"))
        .await;
    assert!(unknown.assert_error(404).contains("zzz"));
    let missing = sb.form("POST", &api(&path), &with_key("")).await;
    assert_eq!(missing.assert_error(400), "parameter addon_id is missing");
    let bad_date = sb
        .form(
            "POST",
            &api(&path),
            &with_key("addon_id=p9t5s4s5&valid_to=soon"),
        )
        .await;
    assert!(bad_date.assert_error(400).contains("valid_to"));
}

#[tokio::test]
async fn license_addons_list_add_and_change_validity() {
    let sb = start().await;
    let path = format!("/licenses/{LICENSE}/addons");
    let list = sb.get(&api_q(&path, "")).await;
    assert_eq!(list.status, 200);
    let addons = list.response()["addons"].clone();
    assert_eq!(addons.as_array().unwrap().len(), 2);
    assert_eq!(addons[1]["license_code"], "g7s86aa8");

    sb.form("POST", &api(&path), &with_key("addon_id=p4g7y4ft7"))
        .await
        .assert_ok_status();
    let addons = sb.get(&api_q(&path, "")).await.response()["addons"].clone();
    assert_eq!(addons[2]["id"], "p4g7y4ft7");
    assert_eq!(addons[2]["price"], "99.90");
    assert_eq!(addons[2]["valid_to"], serde_json::Value::Null);
    let code = addons[2]["license_code"].as_str().unwrap().to_owned();

    sb.form(
        "PUT",
        &api(&format!("/licenses/{LICENSE}/addons/{code}/validity")),
        &with_key("valid_to=2031-05-06+07%3A08%3A09"),
    )
    .await
    .assert_ok_status();
    let addons = sb.get(&api_q(&path, "")).await.response()["addons"].clone();
    assert_eq!(addons[2]["valid_to"], "2031-05-06 07:08:09");

    let unknown = sb
        .form(
            "PUT",
            &api(&format!("/licenses/{LICENSE}/addons/nope1234/validity")),
            &with_key("valid_to=2031-05-06+07%3A08%3A09"),
        )
        .await;
    unknown.assert_error(404);
    let missing = sb
        .form(
            "PUT",
            &api(&format!("/licenses/{LICENSE}/addons/{code}/validity")),
            &with_key(""),
        )
        .await;
    assert_eq!(missing.assert_error(400), "parameter valid_to is missing");
    let no_license = sb.get(&api_q("/licenses/nolicense/addons", "")).await;
    assert!(no_license.assert_error(404).contains("license nolicense"));
}

#[tokio::test]
async fn list_licenses_keeps_the_malformed_example_and_filters() {
    let sb = start().await;
    let reply = sb.get(&api_q("/licenses", "")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({"response": {"licenses": [{
            "customer_email": "john@doe.com",
            "license_code": "lat47ts4",
            "valid_from": "2008-12-11 08:95:41",
            "customer_name": "John doe",
            "valid_to": null,
            "variation_id": "var4u7y7",
            "license_status": "A"
        }]}})
    );
    let count = |r: Reply| r.response()["licenses"].as_array().unwrap().len();
    assert_eq!(
        count(
            sb.get(&api_q("/licenses", "customer_identifier=john%40doe.com"))
                .await
        ),
        1
    );
    assert_eq!(
        count(
            sb.get(&api_q("/licenses", "customer_identifier=John+doe"))
                .await
        ),
        1
    );
    assert_eq!(
        count(
            sb.get(&api_q("/licenses", "customer_identifier=someone"))
                .await
        ),
        0
    );
    assert_eq!(
        count(
            sb.get(&api_q("/licenses", "valid_from=2008-01-01+00:00:00"))
                .await
        ),
        1
    );
    assert_eq!(
        count(
            sb.get(&api_q("/licenses", "valid_from=2009-01-01+00:00:00"))
                .await
        ),
        0
    );
    assert_eq!(
        count(
            sb.get(&api_q("/licenses", "valid_to=2030-01-01+00:00:00"))
                .await
        ),
        0
    );
    sb.get(&api_q("/licenses", "valid_to=tomorrow"))
        .await
        .assert_error(400);
}

#[tokio::test]
async fn license_attribute_get_and_set() {
    let sb = start().await;
    let path = format!("/licenses/{LICENSE}/attributes/max_agents");
    let get = sb.get(&api_q(&path, "")).await;
    assert_eq!(get.json(), json!({"response": {"value": "99"}}));
    sb.form("PUT", &api(&path), &with_key("value=12"))
        .await
        .assert_ok_status();
    assert_eq!(sb.get(&api_q(&path, "")).await.response()["value"], "12");
    let missing = sb.form("PUT", &api(&path), &with_key("value=")).await;
    assert_eq!(missing.assert_error(400), "parameter value is missing");
    let unknown = sb
        .get(&api_q("/licenses/nolicense/attributes/max_agents", ""))
        .await;
    unknown.assert_error(404);
}

#[tokio::test]
async fn account_ids_are_percent_decoded_path_segments() {
    let sb = start().await;
    // `%2F` stays inside the segment: an unknown account, not another route.
    let slash = sb.get(&api_q("/accounts/a%2Fstatus", "")).await;
    assert!(slash
        .assert_error(404)
        .contains("account a/status not found"));
    let encoded = sb
        .get(&api_q("/accounts/9900a49c321c871cd1a572a1dc21a33%63", ""))
        .await;
    assert_eq!(encoded.response()["account_id"], ACCOUNT1);
    let reseller_encoded = sb
        .get(&format!(
            "/api/resellers/reseller%40example.com/variations?apikey={KEY}"
        ))
        .await;
    assert_eq!(reseller_encoded.status, 200);
}
