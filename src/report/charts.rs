//! The charts of a report, drawn once for every output: a trend per indicator (full size, and
//! the board paper's small multiple), the ratings by theme, the reward and the priorities heatmap.

use rayon::prelude::*;

use super::chart::{self, Rendered};
use super::{ReportData, ReportError, chart_stem, trend};
use crate::domain::catalogue::Catalogue;
use crate::workspace::Workspace;
use crate::workspace::agreement::Agreement;

/// The charts of a report, rendered once for every output.
pub struct Charts {
    /// (file stem, indicator code, chart)
    pub trends: Vec<(String, String, Rendered)>,
    /// (indicator code, PNG) of each trend as the board paper's small multiple.
    pub small: Vec<(String, Vec<u8>)>,
    pub rag: Rendered,
    /// The ratings by theme as the board paper prints it, at half the page's width (a PNG).
    pub rag_small: Vec<u8>,
    pub reward: Option<Rendered>,
    /// The priorities coverage heatmap, when the workspace has a priorities mapping.
    pub coverage: Option<Rendered>,
}

impl Charts {
    pub fn render(
        data: &ReportData,
        ws: &Workspace,
        cat: &Catalogue,
        agreement: &Agreement,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Charts, ReportError> {
        let by_theme =
            chart::RagByTheme { themes: data.themes.iter().map(|t| (t.name.clone(), t.counts.as_array())).collect() };
        let (rag, rag_small) = (chart::rag_by_theme(&by_theme)?, chart::rag_by_theme_small(&by_theme)?);
        progress();
        let reward = if data.rewards.is_empty() {
            None
        } else {
            Some(chart::reward(&chart::RewardChart {
                targets: data
                    .rewards
                    .iter()
                    .map(|p| (p.indicator.clone(), p.max_grant, p.projected_grant, p.rating))
                    .collect(),
                threshold: data.reward_threshold,
            })?)
        };
        progress();
        // one chart per indicator, drawn in parallel; collected in the ratings' order
        let trends = data
            .county
            .par_iter()
            .filter_map(|r| {
                let t = agreement.get(&r.indicator)?;
                let ind = cat.get(&r.indicator)?;
                let spec = trend::spec(ws, ind, t, r, &data.assessment.series, data.assessment.comparators.as_ref());
                let chart = chart::trend(&spec).map(|c| (chart_stem(&r.indicator), r.indicator.clone(), c));
                let small = chart::trend_small(&spec).map(|png| (r.indicator.clone(), png));
                progress();
                Some(chart.and_then(|c| Ok((c, small?))))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (trends, small) = trends.into_iter().unzip();
        let coverage = match crate::workspace::priorities::load(ws) {
            Ok(outcomes) if !outcomes.is_empty() => {
                let (rows, columns, cells) = crate::workspace::priorities::heatmap(&outcomes, cat);
                Some(chart::heatmap(&chart::Heatmap { rows, columns, cells })?)
            }
            // no mapping, or one with errors (`laa priorities check` reports them): no heatmap
            _ => None,
        };
        Ok(Charts { trends, small, rag, rag_small, reward, coverage })
    }

    /// How many charts `render` draws (for a progress bar).
    pub fn count(data: &ReportData) -> usize {
        2 + data.county.len()
    }

    pub fn trend_of(&self, code: &str) -> Option<&Rendered> {
        self.trends.iter().find(|t| t.1 == code).map(|t| &t.2)
    }

    /// The board paper's small multiple of an indicator's trend (a PNG).
    pub fn small_of(&self, code: &str) -> Option<&[u8]> {
        self.small.iter().find(|t| t.0 == code).map(|t| t.1.as_slice())
    }
}
