//! `blueprint.toml`: the shape of an exam's mock exam (length, time, pass mark, item-type mix,
//! case studies). Domain weights come from `exam.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ContentError;
use shared::question::ItemType;

/// A mock exam's blueprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blueprint {
    pub questions: usize,
    pub duration_minutes: u32,
    pub pass_mark: u32,
    pub pass_ratio: f64,
    #[serde(default = "one")]
    pub case_studies: usize,
    #[serde(default)]
    pub short_versions: Vec<usize>,
    /// Item type -> share of the questions outside the case study.
    #[serde(default)]
    pub types: BTreeMap<String, f64>,
    #[serde(default)]
    pub coverage: Coverage,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    #[serde(default)]
    pub note: String,
}

fn one() -> usize {
    1
}

/// The top of the 1-1000 scale.
pub const SCALE_MAX: u32 = 1000;

impl Default for Blueprint {
    fn default() -> Self {
        Self {
            questions: 50,
            duration_minutes: 100,
            pass_mark: 700,
            pass_ratio: 0.7,
            case_studies: 1,
            short_versions: vec![10, 25],
            types: BTreeMap::new(),
            coverage: Coverage::default(),
        }
    }
}

impl Blueprint {
    /// The item-type mix, as known types.
    pub fn type_mix(&self) -> Vec<(ItemType, f64)> {
        self.types
            .iter()
            .filter_map(|(name, share)| ItemType::parse(name).map(|t| (t, *share)))
            .collect()
    }

    /// The question counts a learner may choose, shortest first.
    pub fn lengths(&self) -> Vec<usize> {
        let mut lengths: Vec<usize> = self
            .short_versions
            .iter()
            .copied()
            .filter(|n| *n < self.questions)
            .collect();
        lengths.push(self.questions);
        lengths.sort_unstable();
        lengths.dedup();
        lengths
    }

    /// Minutes for an attempt of `questions` questions (the full time in proportion).
    pub fn minutes_for(&self, questions: usize) -> u32 {
        let minutes = f64::from(self.duration_minutes) * questions as f64 / self.questions as f64;
        (minutes.round() as u32).max(1)
    }

    /// The scaled score (1..=1000) for a share of the available points: linear from 1 to the
    /// pass mark up to `pass_ratio`, and from the pass mark to 1000 above it.
    pub fn scale(&self, ratio: f64) -> u32 {
        let r = ratio.clamp(0.0, 1.0);
        let p = self.pass_ratio.clamp(0.01, 0.99);
        let pass = f64::from(self.pass_mark);
        let scaled = if r <= p {
            1.0 + (pass - 1.0) * r / p
        } else {
            pass + (f64::from(SCALE_MAX) - pass) * (r - p) / (1.0 - p)
        };
        (scaled.round() as u32).clamp(1, SCALE_MAX)
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(1..=200).contains(&self.questions) {
            problems.push("questions must be between 1 and 200".to_string());
        }
        if !(1..=600).contains(&self.duration_minutes) {
            problems.push("duration_minutes must be between 1 and 600".to_string());
        }
        if !(1..SCALE_MAX).contains(&self.pass_mark) {
            problems.push(format!("pass_mark must be between 1 and {}", SCALE_MAX - 1));
        }
        if !(self.pass_ratio > 0.0 && self.pass_ratio < 1.0) {
            problems.push("pass_ratio must be between 0 and 1 (exclusive)".to_string());
        }
        for (name, share) in &self.types {
            match ItemType::parse(name) {
                None => problems.push(format!("[types]: unknown item type `{name}`")),
                Some(ItemType::Case) => problems.push(
                    "[types]: `case` questions come from case_studies, not the mix".to_string(),
                ),
                Some(_) if !(*share >= 0.0 && share.is_finite()) => {
                    problems.push(format!("[types]: the share of `{name}` must be 0 or more"));
                }
                Some(_) => {}
            }
        }
        problems
    }
}

/// Loads `blueprint.toml` from an exam folder (the defaults when there is none).
pub fn load(dir: &Path, errors: &mut Vec<ContentError>) -> Blueprint {
    let path = dir.join("blueprint.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Blueprint::default();
    };
    match toml::from_str::<Blueprint>(&text) {
        Ok(blueprint) => {
            for message in blueprint.problems() {
                errors.push(ContentError {
                    file: path.clone(),
                    line: 1,
                    message,
                });
            }
            blueprint
        }
        Err(err) => {
            let line = err
                .span()
                .map_or(1, |span| text[..span.start].lines().count().max(1));
            errors.push(ContentError {
                file: path,
                line,
                message: err.message().to_string(),
            });
            Blueprint::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_puts_the_pass_ratio_on_the_pass_mark() {
        let b = Blueprint::default();
        assert_eq!(b.scale(0.0), 1);
        assert_eq!(b.scale(0.7), 700);
        assert_eq!(b.scale(1.0), 1000);
        assert_eq!(b.scale(0.35), 351);
        assert_eq!(b.scale(0.85), 850);
        assert!(b.scale(0.69) < 700 && b.scale(0.71) > 700);
    }

    #[test]
    fn short_versions_get_time_in_proportion() {
        let b = Blueprint::default();
        assert_eq!(b.lengths(), vec![10, 25, 50]);
        assert_eq!(b.minutes_for(10), 20);
        assert_eq!(b.minutes_for(50), 100);
    }

    #[test]
    fn a_bad_blueprint_is_reported() {
        let b = Blueprint {
            questions: 0,
            pass_ratio: 1.5,
            types: BTreeMap::from([("essay".to_string(), 1.0), ("case".to_string(), 0.1)]),
            ..Blueprint::default()
        };
        let problems = b.problems();
        assert_eq!(problems.len(), 4, "{problems:?}");
    }
}
