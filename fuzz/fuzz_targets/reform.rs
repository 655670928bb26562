//! cargo-fuzz target: `minsheng_fuzz::reform`. A panic or an internal error is a finding.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let minsheng_fuzz::Outcome::Internal(e) = minsheng_fuzz::reform(data) {
        panic!("internal error on user input: {e}");
    }
});
