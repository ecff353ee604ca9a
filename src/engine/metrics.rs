//! placeholder
use super::store::{CampaignRow, Event};
pub fn compute(_e: &[Event], _c: &[CampaignRow]) -> serde_json::Value {
    serde_json::Value::Null
}
pub fn table(_s: &serde_json::Value) -> String {
    String::new()
}
