//! The web application (民生计算器): a page in Chinese at `/` and in
//! English at `/en`, its script, styles and vendored libraries, embedded in
//! the binary so that it works offline. The page computes nothing itself:
//! every figure comes from the API under `/api/v1`.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::Problem;

/// The page, with `{{lang}}` and `{{title}}` filled in per language.
const INDEX: &str = include_str!("../web/index.html");

/// An embedded asset: its name under `/assets/`, type and bytes, and whether
/// its name carries its version (a vendored library), so that it can be cached for good.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
    versioned: bool,
}

/// The assets, each named with its version (or, for ours, the crate's), so that they can be cached for good.
const ASSETS: &[Asset] = &[
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../web/app.js"),
        versioned: false,
    },
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../web/style.css"),
        versioned: false,
    },
    Asset {
        name: "chart-4.6.1.umd.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../web/vendor/chart-4.6.1.umd.min.js"),
        versioned: true,
    },
    Asset {
        name: "js-yaml-4.1.0.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../web/vendor/js-yaml-4.1.0.min.js"),
        versioned: true,
    },
    Asset {
        name: "LICENSES.txt",
        content_type: "text/plain; charset=utf-8",
        bytes: concat!(
            "Chart.js 4.6.1\n\n",
            include_str!("../web/vendor/chart-4.6.1.LICENSE.md"),
            "\n\njs-yaml 4.1.0\n\n",
            include_str!("../web/vendor/js-yaml-4.1.0.LICENSE")
        )
        .as_bytes(),
        versioned: false,
    },
];

/// The routes of the page and its assets.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { page("zh") }))
        .route("/en", get(|| async { page("en") }))
        .route("/en/", get(|| async { page("en") }))
        .route("/assets/{name}", get(asset))
}

fn page(lang: &str) -> Response {
    let title = if lang == "en" { "minsheng calculator" } else { "民生计算器" };
    let html = INDEX.replace("{{lang}}", lang).replace("{{title}}", title);
    let mut response = (StatusCode::OK, html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"),
    );
    response
}

async fn asset(Path(name): Path<String>) -> Result<Response, Problem> {
    let asset =
        ASSETS.iter().find(|a| a.name == name).ok_or_else(|| Problem::not_found(format!("no asset `{name}`")))?;
    let mut response = (StatusCode::OK, asset.bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    // Ours change with the binary: revalidate; the vendored ones are named by version.
    let cache = if asset.versioned { "public, max-age=31536000, immutable" } else { "no-cache" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}
