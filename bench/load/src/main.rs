//! answers-load: concurrent respondents saving answer pages, for `bench/answers.sh`.
//!
//! ```text
//! answers-load --addr 127.0.0.1:PORT --respondents FILE --forms DIR --concurrency C
//!              [--warmup SECS] [--duration SECS] [--timeout SECS] [--max-requests N]
//! ```
//!
//! Respondent `i` (line `i` of FILE: token, Cookie header and CSRF token, tab-separated) has
//! its own kept-alive connection and at most one request in flight, as a person in a browser:
//! it saves page after page (POST /r/{token}/step/{k}, the body `_csrf=…&` followed by
//! `DIR/step-{k}.form`), going round the 7 pages, starting on page `i % 7 + 1`. Requests are
//! sent during the warm-up but not counted; then every request sent and answered within the
//! measured window is counted, and its latency (request written to response body read) kept.
//! Only 303 counts as a success.
//!
//! It talks to a loopback address only, stops after the given time and never sends more than
//! `--max-requests` requests. Prints one line:
//! `RESULT duration_us=… requests=… ok=… other=… codes=… connect_errors=… io_errors=… timeouts=… mean_us=… p50_us=… p90_us=… p99_us=… max_us=…`.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, COOKIE, HOST};
use hyper_util::rt::TokioIo;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::Instant;

const STEPS: usize = 7;
/// Longest run allowed, warm-up included.
const MAX_SECONDS: f64 = 600.0;

struct Args {
    addr: SocketAddr,
    respondents: PathBuf,
    forms: PathBuf,
    concurrency: usize,
    warmup: f64,
    duration: f64,
    timeout: f64,
    max_requests: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut addr, mut respondents, mut forms, mut concurrency) = (None, None, None, None);
    let (mut warmup, mut duration, mut timeout, mut max_requests) = (3.0, 15.0, 5.0, 5_000_000u64);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => addr = Some(value()?.parse::<SocketAddr>().map_err(|e| format!("--addr: {e}"))?),
            "--respondents" => respondents = Some(PathBuf::from(value()?)),
            "--forms" => forms = Some(PathBuf::from(value()?)),
            "--concurrency" => concurrency = Some(value()?.parse().map_err(|e| format!("--concurrency: {e}"))?),
            "--warmup" => warmup = value()?.parse().map_err(|e| format!("--warmup: {e}"))?,
            "--duration" => duration = value()?.parse().map_err(|e| format!("--duration: {e}"))?,
            "--timeout" => timeout = value()?.parse().map_err(|e| format!("--timeout: {e}"))?,
            "--max-requests" => max_requests = value()?.parse().map_err(|e| format!("--max-requests: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let addr = addr.ok_or("--addr is required")?;
    if !addr.ip().is_loopback() {
        return Err(format!("{addr} is not a loopback address: this tool loads 127.0.0.1 only"));
    }
    let concurrency: usize = concurrency.ok_or("--concurrency is required")?;
    if concurrency == 0 || concurrency > 4096 {
        return Err("--concurrency must be between 1 and 4096".into());
    }
    if !(warmup >= 0.0 && duration > 0.0 && warmup + duration <= MAX_SECONDS && timeout > 0.0) {
        return Err(format!("warm-up plus duration must stay within {MAX_SECONDS} s, and the timeout be positive"));
    }
    Ok(Args {
        addr,
        respondents: respondents.ok_or("--respondents is required")?,
        forms: forms.ok_or("--forms is required")?,
        concurrency,
        warmup,
        duration,
        timeout,
        max_requests,
    })
}

/// One respondent's 7 ready requests: path and body per page.
struct Respondent {
    cookie: String,
    pages: Vec<(String, Bytes)>,
}

#[derive(Default)]
struct Outcome {
    latencies_us: Vec<u32>,
    ok: u64,
    codes: BTreeMap<u16, u64>,
    connect_errors: u64,
    io_errors: u64,
    timeouts: u64,
}

struct Window {
    start: Instant,
    end: Instant,
}

async fn connect(addr: SocketAddr, timeout: Duration) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| "connect timed out".to_owned())?
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

async fn respondent_loop(
    addr: SocketAddr,
    respondent: Respondent,
    first_page: usize,
    window: Arc<Window>,
    timeout: Duration,
    budget: Arc<AtomicU64>,
) -> Outcome {
    let mut out = Outcome::default();
    let host = addr.to_string();
    let mut sender: Option<SendRequest<Full<Bytes>>> = None;
    let mut page = first_page;
    loop {
        if Instant::now() >= window.end {
            break;
        }
        if budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(1))
            .is_err()
        {
            break;
        }
        if sender.as_ref().is_none_or(|s| s.is_closed()) {
            match connect(addr, timeout).await {
                Ok(s) => sender = Some(s),
                Err(_) => {
                    if Instant::now() >= window.start {
                        out.connect_errors += 1;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
        }
        let s = sender.as_mut().expect("connected");
        if s.ready().await.is_err() {
            sender = None;
            continue;
        }
        let (path, body) = &respondent.pages[page];
        let request = Request::post(path.as_str())
            .header(HOST, host.as_str())
            .header(COOKIE, respondent.cookie.as_str())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Full::new(body.clone()))
            .expect("a valid request");
        let t0 = Instant::now();
        let result = tokio::time::timeout(timeout, async {
            let response = s.send_request(request).await?;
            let status = response.status().as_u16();
            response.into_body().collect().await?;
            Ok::<u16, hyper::Error>(status)
        })
        .await;
        let t1 = Instant::now();
        let counted = t0 >= window.start && t1 <= window.end;
        match result {
            Ok(Ok(status)) => {
                if counted {
                    out.latencies_us.push(u32::try_from((t1 - t0).as_micros()).unwrap_or(u32::MAX));
                    if status == 303 {
                        out.ok += 1;
                    } else {
                        *out.codes.entry(status).or_default() += 1;
                    }
                }
            }
            Ok(Err(_)) => {
                if counted {
                    out.io_errors += 1;
                }
                sender = None;
            }
            Err(_) => {
                if counted {
                    out.timeouts += 1;
                }
                sender = None;
            }
        }
        page = (page + 1) % STEPS;
    }
    out
}

fn load_respondents(args: &Args) -> Result<Vec<Respondent>, String> {
    let mut forms = Vec::with_capacity(STEPS);
    for k in 1..=STEPS {
        let path = args.forms.join(format!("step-{k}.form"));
        forms.push(std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let text = std::fs::read_to_string(&args.respondents).map_err(|e| format!("{}: {e}", args.respondents.display()))?;
    let mut respondents = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(args.concurrency) {
        let mut fields = line.split('\t');
        let (Some(token), Some(cookie), Some(csrf)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(format!("bad line in {}: {line}", args.respondents.display()));
        };
        let pages = (1..=STEPS)
            .map(|k| (format!("/r/{token}/step/{k}"), Bytes::from(format!("_csrf={csrf}&{}", forms[k - 1]))))
            .collect();
        respondents.push(Respondent { cookie: cookie.to_owned(), pages });
    }
    if respondents.len() < args.concurrency {
        return Err(format!("{} respondents in {}, {} asked for", respondents.len(), args.respondents.display(), args.concurrency));
    }
    Ok(respondents)
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("answers-load: {e}");
            return ExitCode::from(2);
        }
    };
    let respondents = match load_respondents(&args) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("answers-load: {e}");
            return ExitCode::from(2);
        }
    };
    let now = Instant::now();
    let window = Arc::new(Window {
        start: now + Duration::from_secs_f64(args.warmup),
        end: now + Duration::from_secs_f64(args.warmup + args.duration),
    });
    let budget = Arc::new(AtomicU64::new(args.max_requests));
    let timeout = Duration::from_secs_f64(args.timeout);
    let tasks: Vec<_> = respondents
        .into_iter()
        .enumerate()
        .map(|(i, r)| tokio::spawn(respondent_loop(args.addr, r, i % STEPS, window.clone(), timeout, budget.clone())))
        .collect();
    let mut total = Outcome::default();
    for task in tasks {
        let Ok(out) = task.await else { continue };
        total.latencies_us.extend(out.latencies_us);
        total.ok += out.ok;
        for (code, n) in out.codes {
            *total.codes.entry(code).or_default() += n;
        }
        total.connect_errors += out.connect_errors;
        total.io_errors += out.io_errors;
        total.timeouts += out.timeouts;
    }
    let mut lat = total.latencies_us;
    lat.sort_unstable();
    let other: u64 = total.codes.values().sum();
    let codes = if total.codes.is_empty() {
        "-".to_owned()
    } else {
        total.codes.iter().map(|(c, n)| format!("{c}:{n}")).collect::<Vec<_>>().join(",")
    };
    let mean = if lat.is_empty() { 0.0 } else { lat.iter().map(|&v| v as f64).sum::<f64>() / lat.len() as f64 };
    println!(
        "RESULT duration_us={} requests={} ok={} other={} codes={} connect_errors={} io_errors={} timeouts={} mean_us={:.0} p50_us={} p90_us={} p99_us={} max_us={}",
        (args.duration * 1e6) as u64,
        lat.len(),
        total.ok,
        other,
        codes,
        total.connect_errors,
        total.io_errors,
        total.timeouts,
        mean,
        percentile(&lat, 50.0),
        percentile(&lat, 90.0),
        percentile(&lat, 99.0),
        lat.last().copied().unwrap_or(0),
    );
    ExitCode::SUCCESS
}
