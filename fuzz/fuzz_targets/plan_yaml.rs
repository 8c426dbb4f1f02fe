//! The plan loader on YAML: any bytes as `incident-response/plan.yaml`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::plan("incident-response/plan.yaml", data);
});
