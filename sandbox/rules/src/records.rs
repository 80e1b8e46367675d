//! The records the sandbox keeps in memory, and the seed: the vendor's own
//! examples (so answers look like the reference page) plus, on request,
//! generated accounts for benchmarks.

use crate::clock;
use crate::faults::Rng;

/// The attribute value every account and license starts with.
pub const DEFAULT_MAX_AGENTS: &str = "99";

/// An add-on in a variation's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogAddon {
    /// Add-on id (what `addon_id` names).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Price as decimal text (`"99.90"`): money is never a float here.
    pub price: String,
    /// Description.
    pub description: String,
}

/// A reseller variation (plan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variation {
    /// Variation id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Creation datetime.
    pub created: String,
    /// Description.
    pub description: String,
    /// Product name.
    pub product: String,
    /// Add-ons that can be bought with it.
    pub addons: Vec<CatalogAddon>,
}

/// An add-on granted to an account or a license.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddonGrant {
    /// Add-on id.
    pub id: String,
    /// Description.
    pub description: String,
    /// Name.
    pub name: String,
    /// Price as decimal text.
    pub price: String,
    /// Validity start.
    pub valid_from: String,
    /// Validity end; `None` means open-ended.
    pub valid_to: Option<String>,
    /// The grant's own code (`addon_license` in the validity call).
    pub license_code: String,
    /// `A` approved or `R` refunded.
    pub status: String,
}

/// A user (agent) of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// User id.
    pub userid: String,
    /// Email.
    pub email: String,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// Role name.
    pub role: String,
    /// Status.
    pub status: String,
    /// Role type (`la_own` for the owner).
    pub role_type: String,
    /// Creation datetime.
    pub date_created: String,
}

/// A hosted LiveAgent account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Customer email.
    pub customer_email: String,
    /// 32 hex characters for created accounts (any text once decoded).
    pub account_id: String,
    /// Full domain: subdomain + "." + top domain.
    pub domain: String,
    /// Customer name.
    pub customer_name: String,
    /// Company, if given.
    pub company: Option<String>,
    /// Creation datetime.
    pub date_created: String,
    /// Assigned variation.
    pub variation_id: String,
    /// Status letter (`a`, `s`, `t`, `c`, …).
    pub status: String,
    /// Application version.
    pub version: String,
    /// Last login of the customer, if any.
    pub last_login_date: Option<String>,
    /// The `max_agents` attribute.
    pub max_agents: String,
    /// Users of the account.
    pub users: Vec<User>,
    /// Add-ons granted to the account.
    pub addons: Vec<AddonGrant>,
}

/// A self-hosted license.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    /// Customer email.
    pub customer_email: String,
    /// License code.
    pub license_code: String,
    /// Validity start, passed through verbatim (even when malformed).
    pub valid_from: String,
    /// Customer name.
    pub customer_name: String,
    /// Validity end, if any.
    pub valid_to: Option<String>,
    /// Assigned variation.
    pub variation_id: String,
    /// `A` approved or `R` refunded.
    pub license_status: String,
    /// The `max_agents` attribute.
    pub max_agents: String,
    /// Add-ons granted to the license.
    pub addons: Vec<AddonGrant>,
}

/// All records of the sandbox.
#[derive(Debug, Clone)]
pub struct State {
    /// Accounts, in creation order (the list order).
    pub accounts: Vec<Account>,
    /// The variation catalogue.
    pub variations: Vec<Variation>,
    /// Licenses.
    pub licenses: Vec<License>,
    rng: Rng,
}

const HEX: &[u8] = b"0123456789abcdef";
const CODE: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

fn s(text: &str) -> String {
    text.to_owned()
}

fn catalog(id: &str, name: &str, price: &str, description: &str) -> CatalogAddon {
    CatalogAddon {
        id: s(id),
        name: s(name),
        price: s(price),
        description: s(description),
    }
}

/// The two add-ons of the vendor's "Get all account/license add-ons" examples.
fn example_grants() -> Vec<AddonGrant> {
    vec![
        AddonGrant {
            id: s("abg7y8e4"),
            description: s("Proactive chat"),
            name: s("Proactive chat"),
            price: s("99.90"),
            valid_from: s("2009-11-12 15:21:32"),
            valid_to: None,
            license_code: s("ss5l5sa6"),
            status: s("A"),
        },
        AddonGrant {
            id: s("t7f7y4gt"),
            description: s("Gamification"),
            name: s("Gamification"),
            price: s("19.40"),
            valid_from: s("2009-11-12 15:21:32"),
            valid_to: Some(s("2010-10-08 12:15:48")),
            license_code: s("g7s86aa8"),
            status: s("A"),
        },
    ]
}

fn seed_variations() -> Vec<Variation> {
    vec![
        // Exactly the vendor's "Get all reseller variations" example.
        Variation {
            id: s("r7g4y7ya"),
            name: s("Free"),
            created: s("2012-05-04 11:15:14"),
            description: s("Free variation. No restrictions."),
            product: s("LiveAgent"),
            addons: vec![
                catalog("p4g7y4ft7", "Proactive chat", "99.90", "Proactive chat"),
                catalog("p9t5s4s5", "Gamification", "19.40", "Gamification"),
            ],
        },
        // The variations the example accounts reference; invented details.
        Variation {
            id: s("t7f4u7fd"),
            name: s("Ticket+Chat"),
            created: s("2012-06-01 09:30:00"),
            description: s("Ticketing and live chat for growing teams."),
            product: s("LiveAgent"),
            addons: vec![catalog("c4l7c3n8", "Call center", "29.00", "Call center")],
        },
        Variation {
            id: s("7h4r7s54"),
            name: s("All-inclusive"),
            created: s("2012-06-01 09:45:00"),
            description: s("Every channel, unlimited history."),
            product: s("LiveAgent"),
            addons: vec![
                catalog("s8m4d7a2", "Social media", "39.90", "Facebook and Twitter"),
                catalog("w4l7b3l9", "White label", "59.00", "White label branding"),
            ],
        },
    ]
}

fn seed_accounts() -> Vec<Account> {
    vec![
        // The vendor's "Get accounts info for reseller" example, verbatim,
        // with the users and add-ons examples attached.
        Account {
            customer_email: s("john@example.com"),
            account_id: s("9900a49c321c871cd1a572a1dc21a33c"),
            domain: s("mysupport.ladesk.com"),
            customer_name: s("John Oniell"),
            company: Some(s("QualityUnit")),
            date_created: s("2012-11-10 07:12:51"),
            variation_id: s("t7f4u7fd"),
            status: s("a"),
            version: s("4.0.5.1"),
            last_login_date: Some(s("2013-01-10 07:12:51")),
            max_agents: s(DEFAULT_MAX_AGENTS),
            users: vec![User {
                userid: s("user456"),
                email: s("user@example.com"),
                firstname: s("John"),
                lastname: s("User"),
                role: s("Owner"),
                status: s("A"),
                role_type: s("la_own"),
                date_created: s("2013-05-04 12:22:11"),
            }],
            addons: example_grants(),
        },
        Account {
            customer_email: s("marcus@sonatha.com"),
            account_id: s("f7u4g79c321cf77td1a572a1dcg7uyf4"),
            domain: s("sonatha.ladesk.com"),
            customer_name: s("Marcus Dough"),
            company: Some(s("Sonatha")),
            date_created: s("2013-02-10 07:12:51"),
            variation_id: s("7h4r7s54"),
            status: s("s"),
            version: s("4.0.4.1"),
            last_login_date: Some(s("2013-03-10 07:12:51")),
            max_agents: s(DEFAULT_MAX_AGENTS),
            users: vec![User {
                userid: s("user789"),
                email: s("marcus@sonatha.com"),
                firstname: s("Marcus"),
                lastname: s("Dough"),
                role: s("Owner"),
                status: s("A"),
                role_type: s("la_own"),
                date_created: s("2013-02-10 07:12:51"),
            }],
            addons: Vec::new(),
        },
    ]
}

fn seed_licenses() -> Vec<License> {
    // The vendor's "Get all licenses info" example, keeping its malformed
    // `valid_from` (minute 95): it exercises clients' pass-through.
    vec![License {
        customer_email: s("john@doe.com"),
        license_code: s("lat47ts4"),
        valid_from: s("2008-12-11 08:95:41"),
        customer_name: s("John doe"),
        valid_to: None,
        variation_id: s("var4u7y7"),
        license_status: s("A"),
        max_agents: s(DEFAULT_MAX_AGENTS),
        addons: example_grants(),
    }]
}

/// Deterministic generated account number `i` (for `--seed-accounts`).
fn generated_account(i: usize, variations: &[Variation]) -> Account {
    let index = i64::try_from(i).unwrap_or(i64::MAX / 4_000_000);
    let mut rng = Rng::new(0x5EED_0000_u64.wrapping_add(index.unsigned_abs()));
    let account_id = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
    let n = i + 1;
    // One account per hour from 2014-01-01 00:00:00 server time.
    let created_unix = 1_388_563_200 + index * 3600;
    let created = clock::format_unix(created_unix);
    let variation_id = variations
        .get(i % variations.len().max(1))
        .map_or_else(String::new, |v| v.id.clone());
    let status = match i % 10 {
        7 => "s",
        9 => "t",
        _ => "a",
    };
    let last_login_date =
        (i % 4 != 3).then(|| clock::format_unix(created_unix + 86_400 * (1 + index % 30)));
    Account {
        customer_email: format!("customer{n}@example.com"),
        account_id,
        domain: format!("customer{n}.ladesk.com"),
        customer_name: format!("Customer {n}"),
        company: (i % 3 != 2).then(|| format!("Company {n}")),
        date_created: created.clone(),
        variation_id,
        status: s(status),
        version: s("5.0.0.0"),
        last_login_date,
        max_agents: s(DEFAULT_MAX_AGENTS),
        users: vec![User {
            userid: format!("gen{n}"),
            email: format!("customer{n}@example.com"),
            firstname: s("Customer"),
            lastname: n.to_string(),
            role: s("Owner"),
            status: s("A"),
            role_type: s("la_own"),
            date_created: created,
        }],
        addons: Vec::new(),
    }
}

impl State {
    /// The vendor's example records plus `extra_accounts` generated ones;
    /// `seed` drives the ids of records created later.
    pub fn seeded(seed: u64, extra_accounts: usize) -> State {
        let variations = seed_variations();
        let mut accounts = seed_accounts();
        accounts.reserve(extra_accounts);
        for i in 0..extra_accounts {
            accounts.push(generated_account(i, &variations));
        }
        State {
            accounts,
            variations,
            licenses: seed_licenses(),
            rng: Rng::new(seed),
        }
    }

    /// The account with this id.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.account_id == id)
    }

    /// The account with this id, to change it.
    pub fn account_mut(&mut self, id: &str) -> Option<&mut Account> {
        self.accounts.iter_mut().find(|a| a.account_id == id)
    }

    /// The license with this code.
    pub fn license(&self, code: &str) -> Option<&License> {
        self.licenses.iter().find(|l| l.license_code == code)
    }

    /// The license with this code, to change it.
    pub fn license_mut(&mut self, code: &str) -> Option<&mut License> {
        self.licenses.iter_mut().find(|l| l.license_code == code)
    }

    /// The variation with this id.
    pub fn variation(&self, id: &str) -> Option<&Variation> {
        self.variations.iter().find(|v| v.id == id)
    }

    /// The catalogue add-on with this id, in whichever variation.
    pub fn catalog_addon(&self, id: &str) -> Option<&CatalogAddon> {
        self.variations
            .iter()
            .flat_map(|v| v.addons.iter())
            .find(|a| a.id == id)
    }

    /// Whether an account already uses this full domain.
    pub fn domain_taken(&self, domain: &str) -> bool {
        self.accounts
            .iter()
            .any(|a| a.domain.eq_ignore_ascii_case(domain))
    }

    /// Whether an account already has this customer email.
    pub fn email_taken(&self, email: &str) -> bool {
        self.accounts
            .iter()
            .any(|a| a.customer_email.eq_ignore_ascii_case(email))
    }

    /// A fresh 32-hex-character account id.
    pub fn new_account_id(&mut self) -> String {
        loop {
            let id = self.rng.string(HEX, 32);
            if self.account(&id).is_none() {
                return id;
            }
        }
    }

    /// A fresh 8-character code, unused by any license or add-on grant.
    pub fn new_license_code(&mut self) -> String {
        loop {
            let code = self.rng.string(CODE, 8);
            let used =
                self.licenses.iter().any(|l| {
                    l.license_code == code || l.addons.iter().any(|a| a.license_code == code)
                }) || self
                    .accounts
                    .iter()
                    .any(|a| a.addons.iter().any(|g| g.license_code == code));
            if !used {
                return code;
            }
        }
    }

    /// A fresh user id.
    pub fn new_user_id(&mut self) -> String {
        loop {
            let id = format!("u{}", self.rng.string(CODE, 7));
            let used = self
                .accounts
                .iter()
                .any(|a| a.users.iter().any(|u| u.userid == id));
            if !used {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_references_existing_variations() {
        let state = State::seeded(1, 50);
        assert_eq!(state.accounts.len(), 52);
        for account in &state.accounts {
            assert!(state.variation(&account.variation_id).is_some());
        }
    }

    #[test]
    fn generated_accounts_are_deterministic_and_unique() {
        let a = State::seeded(1, 1000);
        let b = State::seeded(2, 1000);
        assert_eq!(a.accounts, b.accounts);
        let mut ids: Vec<&str> = a.accounts.iter().map(|x| x.account_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 1002);
        assert!(a
            .accounts
            .iter()
            .skip(2)
            .all(|x| x.account_id.len() == 32 && clock::is_datetime(&x.date_created)));
    }

    #[test]
    fn new_ids_have_the_documented_shape() {
        let mut state = State::seeded(7, 0);
        let id = state.new_account_id();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(state.new_license_code().len(), 8);
    }
}
