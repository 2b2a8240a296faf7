//! Placeholders for the TypeScript names of core types that do not derive `Tsify` yet
//! (`ReputationConfig`, `Score` in `core/src/reputation/`; `TaskView`, `InputView` in
//! `core/src/market/views.rs`). An empty interface merges with the generated one, so these stay
//! harmless once the derives are added; delete this module then.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_PENDING: &str = r#"
export interface ReputationConfig {}
export interface Score {}
export interface TaskView {}
export interface InputView {}
"#;
