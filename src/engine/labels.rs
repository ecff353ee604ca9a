//! placeholder
use super::Result;
use crate::rules::RuleSet;
use std::path::Path;
pub fn score(_r: &RuleSet, _l: &Path, _d: &Path) -> Result<serde_json::Value> {
    Ok(serde_json::Value::Null)
}
pub fn table(_s: &serde_json::Value) -> String {
    String::new()
}
