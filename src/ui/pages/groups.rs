use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHeader;
use crate::ui::data::AppData;
use crate::ui::links::href;

/// `/groups`: the table of resource groups.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let count = move || data.groups.with(Vec::len);

    let body = move || {
        if !data.loaded.get() {
            return view! { <p class="loading" role="status">"Loading groups…"</p> }.into_any();
        }
        if let Some(e) = data.load_error.get() {
            return view! { <div class="alert alert-error" role="alert">{e}</div> }.into_any();
        }
        if count() == 0 {
            return view! {
                <div class="empty-state">
                    <h3>"No groups yet"</h3>
                    <p>"Groups you create are kept in this browser."</p>
                    <A href=href("/groups/new") attr:class="button button-normal">"Create group"</A>
                </div>
            }
            .into_any();
        }
        let idx = data.index.get().0;
        let rows = data
            .groups
            .get()
            .into_iter()
            .map(|g| {
                let (kind, matching) = match g.query() {
                    Some(q) => (q.type_name(), idx.matcher(q).count(&idx).to_string()),
                    None => ("Configuration", "—".to_owned()),
                };
                view! {
                    <tr>
                        <th scope="row" class="cell-name"><A href=href(&format!("/groups/{}", g.name))>{g.name.clone()}</A></th>
                        <td>{kind}</td>
                        <td class="cell-number">{g.tags.len()}</td>
                        <td class="cell-number">{matching}</td>
                        <td>{crate::ui::browser::format_time(g.updated_at)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table" aria-labelledby="groups-heading">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Query type"</th>
                            <th scope="col" class="cell-number">"Tags"</th>
                            <th scope="col" class="cell-number">"Matching resources"</th>
                            <th scope="col">"Last change"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <PageHeader
            title="Groups"
            description="Resource groups collect the resources that share tags or a CloudFormation stack."
        />
        <section class="container" aria-labelledby="groups-heading">
            <div class="table-header">
                <h2 id="groups-heading">
                    "Groups " <span class="counter">{move || format!("({})", count())}</span>
                </h2>
                <A href=href("/groups/new") attr:class="button button-primary">"Create group"</A>
            </div>
            {body}
        </section>
    }
}
