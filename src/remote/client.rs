//! The HTTP side of a remote store: one request at a time, authenticated as the server asks
//! ([`auth`](super::auth)), retried with back-off while the server says it is busy (429, 503),
//! and every other failure said as it is (which URL, which status, the server's first line).

use super::auth::{Credentials, Scheme};
use crate::error::{Error, Result};
use oxhttp::model::{Body, Method, Request};
use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

/// Retries of a request the server answered 429 or 503, unless told otherwise.
pub const DEFAULT_RETRIES: u32 = 5;
/// The longest wait between two tries (a `Retry-After` beyond it is cut to it).
const MAX_WAIT: Duration = Duration::from_secs(30);

/// A server's answer: its status, its headers (names in lower case) and its body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The scheme a 401 offers to authenticate with: Digest when offered, else Basic.
    fn challenge(&self) -> Option<Scheme> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "www-authenticate")
            .filter_map(|(_, v)| Scheme::of_header(v))
            .min_by_key(|s| matches!(s, Scheme::Basic))
    }

    /// The first value of the header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// "HTTP 500: the first line of its body" (at most 200 characters of it, tags left out).
    pub fn describe(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let first = text
            .lines()
            .map(strip_tags)
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        let first: String = first.trim().chars().take(200).collect();
        if first.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            format!("HTTP {}: {first}", self.status)
        }
    }
}

/// A line of HTML without its tags (servers often explain an error in an HTML page).
fn strip_tags(line: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in line.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// A client of one remote store.
pub struct Client {
    http: oxhttp::Client,
    credentials: Option<Credentials>,
    /// How the server asked to be authenticated, learned from its first 401.
    scheme: Mutex<Option<Scheme>>,
    retries: u32,
    timeout: Duration,
}

impl Client {
    pub fn new(credentials: Option<Credentials>, timeout: Duration, retries: u32) -> Client {
        let http = oxhttp::Client::new()
            .with_global_timeout(timeout)
            .with_redirection_limit(3)
            .with_user_agent(concat!("newskg/", env!("CARGO_PKG_VERSION")))
            .expect("a valid user agent");
        Client {
            http,
            credentials,
            scheme: Mutex::new(None),
            retries,
            timeout,
        }
    }

    /// Sends `body` to `url` with `method` and `headers`; answers a challenge (401) once with
    /// the credentials, retries a 429 or 503 after the server's `Retry-After` or a doubling
    /// wait (0.5 s, 1 s, 2 s …), and gives any other answer as it came. A 401 that the
    /// credentials do not satisfy, and a connection that fails, are errors.
    pub fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Reply> {
        let fail = |what: String| Error::Remote {
            url: shown(url),
            what,
            source: None,
        };
        let target = url
            .parse::<oxhttp::model::Uri>()
            .map_err(|e| fail(format!("invalid URL: {e}")))?;
        let uri = target
            .path_and_query()
            .map_or("/".to_string(), |p| p.as_str().to_string());
        let mut busy = 0;
        let mut challenged = 0;
        let mut primed = false;
        loop {
            let mut request = Request::builder().method(method.clone()).uri(url);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let mut authorized = false;
            if let (Some(credentials), Some(scheme)) = (
                &self.credentials,
                self.scheme.lock().expect("not poisoned").as_mut(),
            ) {
                request = request.header(
                    "authorization",
                    scheme.authorization(credentials, method.as_str(), &uri),
                );
                authorized = true;
            }
            let request = request
                .body(Body::from(body.to_vec()))
                .map_err(|e| fail(format!("cannot make the request: {e}")))?;
            let reply = match self.exchange(request, url) {
                // the challenge a server gave before reading the body (see `prime`)
                Err(e)
                    if !primed
                        && !authorized
                        && !body.is_empty()
                        && self.credentials.is_some()
                        && broken_connection(&e) =>
                {
                    primed = true;
                    self.prime(url);
                    continue;
                }
                other => other?,
            };
            match reply.status {
                401 => {
                    let offered = reply.challenge();
                    let Some(credentials) = &self.credentials else {
                        return Err(fail(format!(
                            "{}: the server asks for credentials; set {} and {} (or give --credentials FILE)",
                            reply.describe(),
                            super::auth::USER_VAR,
                            super::auth::PASSWORD_VAR
                        )));
                    };
                    // a first challenge, or a new nonce (Digest's `stale`)
                    if challenged < 2
                        && let Some(scheme) = offered
                    {
                        challenged += 1;
                        *self.scheme.lock().expect("not poisoned") = Some(scheme);
                        continue;
                    }
                    return Err(fail(format!(
                        "{}: the server refused the credentials of user `{}`",
                        reply.describe(),
                        credentials.user
                    )));
                }
                429 | 503 if busy < self.retries => {
                    let wait = reply
                        .header("retry-after")
                        .and_then(|s| s.trim().parse::<u64>().ok())
                        .map(Duration::from_secs)
                        .unwrap_or(Duration::from_millis(500) * 2u32.pow(busy.min(6)))
                        .min(MAX_WAIT);
                    busy += 1;
                    std::thread::sleep(wait);
                    continue;
                }
                429 | 503 => {
                    return Err(fail(format!(
                        "{}, after {} retries",
                        reply.describe(),
                        self.retries
                    )));
                }
                _ => return Ok(reply),
            }
        }
    }

    /// Asks for the server's challenge with a HEAD of `url`, after a request with a body and no
    /// credentials yet broke off: Virtuoso 7 answers an unauthenticated PUT with a 401 and closes
    /// the connection before reading its body, which a body larger than the socket's buffers
    /// meets as a broken pipe, not as the challenge (measured: a push of one changed article of
    /// 300 KB, its first request to the graph store). Whatever goes wrong here is left to the
    /// request sent again.
    fn prime(&self, url: &str) {
        if self.credentials.is_none() || self.scheme.lock().expect("not poisoned").is_some() {
            return;
        }
        let Ok(request) = Request::builder()
            .method(Method::HEAD)
            .uri(url)
            .body(Body::empty())
        else {
            return;
        };
        let Ok(reply) = self.exchange(request, url) else {
            return;
        };
        if reply.status == 401
            && let Some(scheme) = reply.challenge()
        {
            *self.scheme.lock().expect("not poisoned") = Some(scheme);
        }
    }

    fn exchange(&self, request: Request<Body>, url: &str) -> Result<Reply> {
        let failed = |what: String, e: std::io::Error| Error::Remote {
            url: shown(url),
            what,
            source: Some(Box::new(e)),
        };
        let response = self.http.request(request).map_err(|e| {
            let what = match e.kind() {
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => format!(
                    "no answer within {} s (--timeout to wait longer)",
                    self.timeout.as_secs()
                ),
                std::io::ErrorKind::ConnectionRefused => {
                    "connection refused: is the server running, on this port?".into()
                }
                _ => "cannot reach the server".into(),
            };
            failed(what, e)
        })?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        response
            .into_body()
            .read_to_end(&mut body)
            .map_err(|e| failed("cannot read the answer".into(), e))?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}

/// Whether `e` is a connection the server closed while the request was being sent.
fn broken_connection(e: &Error) -> bool {
    let Error::Remote {
        source: Some(source),
        ..
    } = e
    else {
        return false;
    };
    source.downcast_ref::<std::io::Error>().is_some_and(|io| {
        matches!(
            io.kind(),
            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
        )
    })
}

/// A URL as errors show it: without its query (a graph's IRI, a whole query, percent-encoded).
fn shown(url: &str) -> String {
    url.split_once('?').map_or(url, |(u, _)| u).to_string()
}

/// `url` with `name=value` added to its query, form-encoded.
pub fn with_parameter(url: &str, name: &str, value: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    format!("{url}{separator}{name}={encoded}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn replies_describe_themselves_without_markup() {
        let reply = Reply {
            status: 403,
            headers: vec![],
            body: b"<html>\n<head><title>SPARQL Graph Protocol request failed</title>".to_vec(),
        };
        assert_eq!(
            reply.describe(),
            "HTTP 403: SPARQL Graph Protocol request failed"
        );
    }

    /// A request's head as a server reads it, and the length of the body it announces.
    fn read_head(reader: &mut impl std::io::BufRead) -> (String, usize) {
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" || line.is_empty() {
                return (head, length);
            }
            head.push_str(&line);
        }
    }

    /// A server on 127.0.0.1 that answers each connection with the next of `replies` and
    /// gives back the requests it read (head and body).
    pub(crate) fn server(
        replies: Vec<&'static str>,
    ) -> (String, std::thread::JoinHandle<Vec<String>>) {
        use std::io::{BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/store", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for reply in replies {
                let (stream, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let (mut head, length) = read_head(&mut reader);
                let mut body = vec![0; length];
                std::io::Read::read_exact(&mut reader, &mut body).unwrap();
                head.push_str(&String::from_utf8_lossy(&body));
                seen.push(head);
                let mut stream = stream;
                stream.write_all(reply.as_bytes()).unwrap();
            }
            seen
        });
        (url, handle)
    }

    #[test]
    fn busy_servers_are_retried_and_challenges_answered() {
        let (url, handle) = server(vec![
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ]);
        let client = Client::new(
            Some(Credentials::new("Aladdin", "open sesame")),
            Duration::from_secs(10),
            DEFAULT_RETRIES,
        );
        let reply = client
            .send(
                Method::PUT,
                &url,
                &[("content-type", "application/n-triples")],
                b"<a> <b> <c> .\n",
            )
            .unwrap();
        assert_eq!(reply.status, 201);
        let seen = handle.join().unwrap();
        assert_eq!(seen.len(), 4);
        assert!(!seen[2].to_ascii_lowercase().contains("authorization"));
        assert!(
            seen[3].contains("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
            "{}",
            seen[3]
        );
    }

    /// A server that answers an unauthenticated PUT with its challenge and closes the
    /// connection before reading the body (Virtuoso 7): the client asks for the challenge with a
    /// HEAD and sends the PUT again, authorized.
    #[test]
    fn a_challenge_given_before_the_body_is_read_is_answered() {
        use std::io::{BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/store", listener.local_addr().unwrap());
        let challenge = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for i in 0..3 {
                let (stream, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let (head, length) = read_head(&mut reader);
                let mut stream = stream;
                if i == 2 {
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    stream
                        .write_all(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .unwrap();
                } else {
                    // the body (if any) left unread: closing now resets the connection
                    let _ = stream.write_all(challenge.as_bytes());
                }
                seen.push(head);
                drop(reader);
                drop(stream);
            }
            seen
        });
        let client = Client::new(
            Some(Credentials::new("Aladdin", "open sesame")),
            Duration::from_secs(10),
            DEFAULT_RETRIES,
        );
        let body = vec![b'#'; 16 << 20];
        let reply = client
            .send(
                Method::PUT,
                &url,
                &[("content-type", "application/n-triples")],
                &body,
            )
            .unwrap();
        assert_eq!(reply.status, 201);
        let seen = handle.join().unwrap();
        assert!(seen[0].starts_with("PUT ") && !seen[0].contains("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        assert!(seen[1].starts_with("HEAD "), "{}", seen[1]);
        assert!(seen[2].starts_with("PUT ") && seen[2].contains("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    }

    #[test]
    fn a_server_busy_past_the_retries_is_an_error() {
        let busy = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy";
        let (url, handle) = server(vec![busy, busy, busy]);
        let client = Client::new(None, Duration::from_secs(10), 2);
        let e = client
            .send(Method::GET, &url, &[], b"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("HTTP 503: busy, after 2 retries"), "{e}");
        handle.join().unwrap();
    }

    #[test]
    fn parameters_are_encoded() {
        assert_eq!(
            with_parameter("http://h/store", "graph", "https://x/a b"),
            "http://h/store?graph=https%3A%2F%2Fx%2Fa+b"
        );
        assert_eq!(
            with_parameter("http://h/s?x=1", "default", ""),
            "http://h/s?x=1&default="
        );
    }
}
