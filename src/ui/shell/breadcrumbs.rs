//! Breadcrumbs (Group Console › Groups › name), computed by `crate::nav::breadcrumbs`.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::ui::links::{href, use_app_path};

#[component]
pub fn Breadcrumbs() -> impl IntoView {
    let path = use_app_path();
    let trail = move || crate::nav::breadcrumbs(&path.get());
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <ol>
                {move || {
                    trail()
                        .into_iter()
                        .map(|crumb| match crumb.href {
                            Some(path) => view! { <li><A href=href(&path)>{crumb.label}</A></li> }.into_any(),
                            None => view! { <li><span aria-current="page">{crumb.label}</span></li> }.into_any(),
                        })
                        .collect_view()
                }}
            </ol>
        </nav>
    }
}
