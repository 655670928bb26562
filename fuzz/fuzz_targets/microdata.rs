//! cargo-fuzz target: `minsheng_fuzz::microdata`. A panic or an internal error is a finding.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let minsheng_fuzz::Outcome::Internal(e) = minsheng_fuzz::microdata(data) {
        panic!("internal error on user input: {e}");
    }
});
