//! Breadcrumbs (Group Console › Groups › name), computed by `crate::nav::breadcrumbs`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn Breadcrumbs() -> impl IntoView {
    let location = use_location();
    let trail = move || crate::nav::breadcrumbs(&location.pathname.get());
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumbs">
            <ol>
                {move || {
                    trail()
                        .into_iter()
                        .map(|crumb| match crumb.href {
                            Some(href) => view! { <li><A href=href>{crumb.label}</A></li> }.into_any(),
                            None => view! { <li><span aria-current="page">{crumb.label}</span></li> }.into_any(),
                        })
                        .collect_view()
                }}
            </ol>
        </nav>
    }
}
