//! A chart drawn on the server, with its numbers in a table that can be opened.

use leptos::prelude::*;

use shared::progress::Chart;

/// A chart with its numbers in a table that can be opened (and that screen readers reach).
#[component]
pub fn ChartFigure(chart: Chart, testid: &'static str) -> impl IntoView {
    view! {
        <figure class="chart-figure" data-testid=testid>
            <figcaption>{chart.caption.clone()}</figcaption>
            <div class="chart-figure__svg" inner_html=chart.svg.clone()></div>
            <details class="chart-figure__data">
                <summary>"Show the numbers"</summary>
                <div class="table-wrap" tabindex="0">
                    <table class="summary__table">
                        <caption class="visually-hidden">{chart.caption.clone()}</caption>
                        <thead>
                            <tr>
                                {chart
                                    .columns
                                    .iter()
                                    .map(|c| view! { <th scope="col">{c.clone()}</th> })
                                    .collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {chart
                                .rows
                                .iter()
                                .map(|row| {
                                    view! {
                                        <tr>
                                            {row
                                                .iter()
                                                .map(|cell| view! { <td>{cell.clone()}</td> })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}
