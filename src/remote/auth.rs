//! HTTP authentication to a remote store: credentials from the environment or a file (never the
//! command line, where other users of the machine can read them), sent as the server asks:
//! Basic (RFC 7617) or Digest (RFC 7616, MD5 or SHA-256, `qop=auth`), which Virtuoso's
//! `/sparql-auth` and `/sparql-graph-crud-auth` use.

use crate::error::{Error, Result};
use sha2::Digest as _;
use std::path::Path;

/// The environment variables that hold the user and the password.
pub const USER_VAR: &str = "NEWSKG_ENDPOINT_USER";
pub const PASSWORD_VAR: &str = "NEWSKG_ENDPOINT_PASSWORD";

/// A user and a password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials {{ user: {:?}, password: … }}", self.user)
    }
}

impl Credentials {
    pub fn new(user: &str, password: &str) -> Credentials {
        Credentials {
            user: user.into(),
            password: password.into(),
        }
    }

    /// [`USER_VAR`] and [`PASSWORD_VAR`], when the user is set.
    pub fn from_env() -> Result<Option<Credentials>> {
        let Ok(user) = std::env::var(USER_VAR) else {
            return Ok(None);
        };
        let password = std::env::var(PASSWORD_VAR).map_err(|_| {
            Error::Usage(format!(
                "{USER_VAR} is set but {PASSWORD_VAR} is not: set both (or neither)"
            ))
        })?;
        Ok(Some(Credentials::new(&user, &password)))
    }

    /// The file's first line, `user:password` (as curl's `--user` takes it; the password may
    /// hold `:`). A file that others can read is refused, as ssh refuses a readable key.
    pub fn from_file(path: &Path) -> Result<Credentials> {
        let shown = path.display().to_string();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .map_err(|e| Error::read(&shown, e))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(Error::Usage(format!(
                    "{shown}: the credentials file can be read by other users (mode {:o}); make it yours alone: chmod 600 {shown}",
                    mode & 0o777
                )));
            }
        }
        let bytes = crate::files::read_file(path).map_err(|e| Error::read(&shown, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
        match line.split_once(':') {
            Some((user, password)) if !user.is_empty() => Ok(Credentials::new(user, password)),
            _ => Err(Error::Invalid(vec![crate::Diagnostic {
                file: shown,
                line: 1,
                column: 1,
                message: "expected `user:password` on the first line".into(),
            }])),
        }
    }

    /// The `Authorization` value for Basic.
    pub fn basic(&self) -> String {
        format!(
            "Basic {}",
            base64(format!("{}:{}", self.user, self.password).as_bytes())
        )
    }
}

/// A Digest challenge (`WWW-Authenticate: Digest …`), and the requests answered under it.
#[derive(Debug, Clone)]
pub struct Challenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    qop: bool,
    sha256: bool,
    /// Requests sent with this nonce.
    count: u32,
}

/// How a server asks to be authenticated.
#[derive(Debug, Clone)]
pub enum Scheme {
    Basic,
    Digest(Challenge),
}

impl Scheme {
    /// The scheme of a `WWW-Authenticate` header newskg can answer (Digest preferred), if any.
    pub fn of_header(header: &str) -> Option<Scheme> {
        let trimmed = header.trim_start();
        let (name, rest) = trimmed.split_once(' ').unwrap_or((trimmed, ""));
        if name.eq_ignore_ascii_case("digest") {
            let params = parameters(rest);
            let get = |k: &str| {
                params
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.clone())
            };
            let algorithm = get("algorithm").unwrap_or_else(|| "MD5".into());
            let sha256 = match algorithm.to_ascii_uppercase().as_str() {
                "MD5" => false,
                "SHA-256" => true,
                _ => return None,
            };
            let qop = match get("qop") {
                None => false,
                Some(q) if q.split(',').any(|q| q.trim() == "auth") => true,
                // auth-int only: not answered
                Some(_) => return None,
            };
            Some(Scheme::Digest(Challenge {
                realm: get("realm").unwrap_or_default(),
                nonce: get("nonce")?,
                opaque: get("opaque"),
                qop,
                sha256,
                count: 0,
            }))
        } else if name.eq_ignore_ascii_case("basic") {
            Some(Scheme::Basic)
        } else {
            None
        }
    }

    /// The `Authorization` value of a request (`method`, and its target `uri`: path and query).
    pub fn authorization(&mut self, credentials: &Credentials, method: &str, uri: &str) -> String {
        let challenge = match self {
            Scheme::Basic => return credentials.basic(),
            Scheme::Digest(c) => c,
        };
        challenge.count += 1;
        let hash = |s: String| -> String {
            if challenge.sha256 {
                hex(&sha2::Sha256::digest(s.as_bytes()))
            } else {
                hex(&md5::Md5::digest(s.as_bytes()))
            }
        };
        let ha1 = hash(format!(
            "{}:{}:{}",
            credentials.user, challenge.realm, credentials.password
        ));
        let ha2 = hash(format!("{method}:{uri}"));
        let nc = format!("{:08x}", challenge.count);
        let cnonce = cnonce(challenge.count);
        let response = if challenge.qop {
            hash(format!(
                "{ha1}:{}:{nc}:{cnonce}:auth:{ha2}",
                challenge.nonce
            ))
        } else {
            hash(format!("{ha1}:{}:{ha2}", challenge.nonce))
        };
        let mut value = format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{uri}\", response=\"{response}\", algorithm={}",
            quoted(&credentials.user),
            quoted(&challenge.realm),
            quoted(&challenge.nonce),
            if challenge.sha256 { "SHA-256" } else { "MD5" }
        );
        if challenge.qop {
            value.push_str(&format!(", qop=auth, nc={nc}, cnonce=\"{cnonce}\""));
        }
        if let Some(o) = &challenge.opaque {
            value.push_str(&format!(", opaque=\"{}\"", quoted(o)));
        }
        value
    }
}

/// A client nonce: unpredictable enough for a nonce (the time, the process, a counter), hashed.
fn cnonce(count: u32) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!("{now}:{}:{count}", std::process::id());
    hex(&sha2::Sha256::digest(seed.as_bytes()))[..16].to_string()
}

/// `name=value` and `name="value"` pairs, comma-separated.
fn parameters(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let name: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ','))
            .collect::<String>()
            .trim()
            .to_string();
        if name.is_empty() {
            return out;
        }
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| *c != ','))
                .collect::<String>()
                .trim()
                .to_string();
        }
        out.push((name, value));
    }
}

fn quoted(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Standard base64, padded.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_rfc_4648_gives_it() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
        // RFC 7617's example
        assert_eq!(
            Credentials::new("Aladdin", "open sesame").basic(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn digest_answers_rfc_2617s_example() {
        // RFC 2617 §3.5: the response is 6629fae49393a05397450978507c4ef1 for cnonce
        // 0a4f113b; the cnonce here is random, so the hash is checked by recomputing it
        let header = r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;
        let Some(mut scheme) = Scheme::of_header(header) else {
            panic!("a Digest challenge")
        };
        let credentials = Credentials::new("Mufasa", "Circle Of Life");
        let value = scheme.authorization(&credentials, "GET", "/dir/index.html");
        let params = parameters(value.strip_prefix("Digest ").unwrap());
        let get = |k: &str| params.iter().find(|(n, _)| n == k).unwrap().1.clone();
        assert_eq!(get("nc"), "00000001");
        assert_eq!(get("opaque"), "5ccc069c403ebaf9f0171e9517f40e41");
        let ha1 = hex(&md5::Md5::digest(
            b"Mufasa:testrealm@host.com:Circle Of Life",
        ));
        let ha2 = hex(&md5::Md5::digest(b"GET:/dir/index.html"));
        let expected = hex(&md5::Md5::digest(
            format!(
                "{ha1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:{}:auth:{ha2}",
                get("cnonce")
            )
            .as_bytes(),
        ));
        assert_eq!(get("response"), expected);
        // with the RFC's cnonce, the RFC's answer
        let rfc = hex(&md5::Md5::digest(
            format!("{ha1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:{ha2}")
                .as_bytes(),
        ));
        assert_eq!(rfc, "6629fae49393a05397450978507c4ef1");
        // the next request counts on
        let next = scheme.authorization(&credentials, "GET", "/dir/index.html");
        assert!(next.contains("nc=00000002"));
    }

    #[test]
    fn challenges_newskg_cannot_answer_are_none() {
        assert!(Scheme::of_header("Bearer realm=\"x\"").is_none());
        assert!(Scheme::of_header("Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"").is_none());
        assert!(
            Scheme::of_header("Digest realm=\"x\"").is_none(),
            "no nonce"
        );
        assert!(matches!(
            Scheme::of_header("Basic realm=\"x\""),
            Some(Scheme::Basic)
        ));
    }

    #[test]
    fn credentials_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds");
        std::fs::write(&path, "dba:pa:ss\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = Credentials::from_file(&path).unwrap_err().to_string();
            assert!(e.contains("chmod 600"), "{e}");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert_eq!(
            Credentials::from_file(&path).unwrap(),
            Credentials::new("dba", "pa:ss")
        );
        std::fs::write(&path, "no colon\n").unwrap();
        let e = Credentials::from_file(&path).unwrap_err().to_string();
        assert!(e.contains(":1:1: expected `user:password`"), "{e}");
        assert!(!format!("{:?}", Credentials::new("u", "secret")).contains("secret"));
    }
}
