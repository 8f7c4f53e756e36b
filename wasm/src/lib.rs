//! nps-enrich compiled to WebAssembly. Two thin front ends over the same
//! `nps_enrich::Transformer` the CLI uses; they convert bytes and errors and hold no logic:
//!
//! - `js` (feature `js`, target `wasm32-unknown-unknown`, wasm-bindgen): a `Transformer` class
//!   for Node and browsers;
//! - `fluent_bit` (feature `fluent-bit`, target `wasm32-wasip1`): the C-ABI function Fluent
//!   Bit's WASM filter calls, the only `unsafe` code in the project.
#![deny(unsafe_code)]

#[cfg(feature = "fluent-bit")]
pub mod fluent_bit;
#[cfg(feature = "js")]
pub mod js;

pub use nps_enrich;
