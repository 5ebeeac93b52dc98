"""URLs of the pages, the drivers' links and the JSON API."""

from django.urls import path

from planner.web import api, views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.home, name="home"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/import/", views.import_view, name="import"),
    path("events/<int:pk>/plan/", views.start_plan, name="start_plan"),
    path("events/<int:pk>/copy-signups/", views.copy_signups, name="copy_signups"),
    path(
        "events/<int:pk>/signups/<int:signup>/<str:action>/",
        views.signup_action,
        name="signup_action",
    ),
    path("events/<int:pk>/map/", views.overview_map, name="overview_map"),
    path("events/<int:pk>/print/", views.print_all, name="print_all"),
    path("events/<int:pk>/export/<str:kind>/", views.export, name="export"),
    path("events/<int:pk>/links/", views.make_links, name="make_links"),
    path("events/<int:pk>/links/<int:link>/revoke/", views.revoke_link, name="revoke_link"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("volunteers/new/", views.volunteer_edit, name="volunteer_new"),
    path("volunteers/<int:pk>/", views.volunteer_edit, name="volunteer_edit"),
    path("audit/", views.audit_log, name="audit"),
    path("analysis/", views.analysis, name="analysis"),
    path("analysis/map/<str:key>/", views.analysis_map, name="analysis_map"),
    path("d/<str:token>/", views.driver_page, name="driver"),
    path("d/<str:token>/route.gpx", views.driver_gpx, name="driver_gpx"),
    path("api/events", api.events, name="api_events"),
    path("api/events/<int:pk>/plan", api.plan, name="api_plan"),
    path("api/events/<int:pk>/drivers", api.drivers, name="api_drivers"),
    path("api/participants", api.participants, name="api_participants"),
    path("api/participants/<int:pk>", api.participant, name="api_participant"),
]
