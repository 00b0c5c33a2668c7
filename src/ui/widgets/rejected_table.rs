//! The table of records an import preview rejected: position in the file, what identifies the
//! record (a name or an ARN; "(hidden)" where it is sensitive), and why.

use leptos::prelude::*;

/// One rejected record: (position, identifier, reason).
pub type RejectedRow = (usize, String, String);

#[component]
pub fn RejectedTable(
    /// The header of the identifier column ("Name", "ARN").
    #[prop(into)]
    what: String,
    rows: Vec<RejectedRow>,
) -> impl IntoView {
    view! {
        <table class="table">
            <thead><tr><th scope="col">"Record"</th><th scope="col">{what}</th><th scope="col">"Why it was rejected"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(record, id, why)| view! {
                    <tr>
                        <td class="cell-number">{record}</td>
                        <td class="cell-name mono">{id}</td>
                        <td>{why}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
