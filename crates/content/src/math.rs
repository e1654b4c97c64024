//! LaTeX formulas to MathML Core on the server (math-core): no JavaScript or web fonts needed.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

static CONVERTER: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig::default()).ok());

/// Converts one formula; the error says what in the LaTeX could not be parsed.
pub fn to_mathml(latex: &str, display: bool) -> Result<String, String> {
    let converter = CONVERTER
        .as_ref()
        .ok_or_else(|| "the formula converter is unavailable".to_string())?;
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    converter
        .convert_with_local_state(latex.trim(), mode)
        .map(|result| result.mathml)
        .map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fraction_becomes_mathml() {
        let mathml = to_mathml(r"\frac{TP}{TP + FP}", true).unwrap();
        assert!(mathml.starts_with("<math"), "{mathml}");
        assert!(mathml.contains("<mfrac>"), "{mathml}");
    }

    #[test]
    fn broken_latex_is_an_error_not_a_panic() {
        assert!(to_mathml(r"\frac{1}{", false).is_err());
    }
}
