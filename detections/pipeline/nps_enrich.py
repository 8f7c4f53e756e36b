"""pySigma processing pipeline for nps-enrich documents (docs/output.md, compact profile).

The rules in detections/sigma/ are written against the output contract's field names
(`event.code`, `nps.reason.code`, `user.name`, ...), so most fields pass through unchanged.
The pipeline does three things:

1. Log sources become conditions on the documents' own `event.module` / `event.dataset`:
     product: nps                   -> event.module: nps
       service: radius              -> event.dataset: nps.ias, nps.odbc or nps.dts (the log files)
       service: security            -> event.dataset: windows.security (events 6272-6280)
       service: system              -> event.dataset: windows.system (NPS's System-log events)
     product: ipsec                 -> event.module: ipsec (IPsec driver events, Security log)
     product: windows, service: security -> event.dataset: windows.security
   A rule with no service under product nps covers both the log files and the events.
2. The field names of Sigma's Windows taxonomy that nps-enrich writes under another name are
   mapped (EventID -> event.code, Channel -> winlog.channel, ...), and an event id written
   as a number becomes the string event.code holds, so a rule written for
   `product: windows` / `service: security` event logs also converts.
3. A rule for any other log source is not converted (the pipeline fails it), so nothing is
   shipped that these documents cannot answer.
"""

from sigma.processing.conditions import IncludeFieldCondition, LogsourceCondition
from sigma.processing.pipeline import ProcessingItem, ProcessingPipeline
from sigma.processing.transformations import (
    SetStateTransformation,
    AddConditionTransformation,
    ConvertTypeTransformation,
    FieldMappingTransformation,
    RuleFailureTransformation,
)

# Sigma Windows taxonomy -> nps-enrich field (docs/output.md, "Windows events" and ECS).
WINDOWS_FIELDS = {
    "EventID": "event.code",
    "Channel": "winlog.channel",
    "Provider_Name": "event.provider",
    "Computer": "host.name",
    "SubjectUserSid": "user.id",
}

LOGSOURCES = [
    ("nps_radius", {"product": "nps", "service": "radius"},
     {"event.dataset": ["nps.ias", "nps.odbc", "nps.dts"]}),
    ("nps_security", {"product": "nps", "service": "security"},
     {"event.dataset": "windows.security"}),
    ("nps_system", {"product": "nps", "service": "system"},
     {"event.dataset": "windows.system"}),
    ("windows_security", {"product": "windows", "service": "security"},
     {"event.dataset": "windows.security"}),
]


def nps_enrich_pipeline() -> ProcessingPipeline:
    items = [
        # The ES|QL backend's `from` clause: the data stream the Elasticsearch sinks write.
        ProcessingItem(
            identifier="nps_enrich_esql_index",
            transformation=SetStateTransformation("index", "logs-nps-*"),
        ),
        ProcessingItem(
            identifier="nps_enrich_windows_fields",
            transformation=FieldMappingTransformation(WINDOWS_FIELDS),
        ),
        # event.code is a keyword ("6273"): SigmaHQ rules write EventID: 6273, a number,
        # which ES|QL and SQL would compare as a number with a string.
        ProcessingItem(
            identifier="nps_enrich_event_code_string",
            transformation=ConvertTypeTransformation("str"),
            field_name_conditions=[IncludeFieldCondition(["event.code"])],
        ),
        ProcessingItem(
            identifier="nps_enrich_product_nps",
            transformation=AddConditionTransformation({"event.module": "nps"}),
            rule_conditions=[LogsourceCondition(product="nps")],
        ),
        ProcessingItem(
            identifier="nps_enrich_product_ipsec",
            transformation=AddConditionTransformation({"event.module": "ipsec"}),
            rule_conditions=[LogsourceCondition(product="ipsec")],
        ),
    ]
    for ident, logsource, condition in LOGSOURCES:
        items.append(
            ProcessingItem(
                identifier=f"nps_enrich_{ident}",
                transformation=AddConditionTransformation(condition),
                rule_conditions=[LogsourceCondition(**logsource)],
            )
        )
    items.append(
        ProcessingItem(
            identifier="nps_enrich_unsupported_logsource",
            transformation=RuleFailureTransformation(
                "nps-enrich documents hold only product nps, product ipsec and "
                "product windows / service security"
            ),
            rule_conditions=[
                LogsourceCondition(product="nps"),
                LogsourceCondition(product="ipsec"),
                LogsourceCondition(product="windows", service="security"),
            ],
            rule_condition_linking=any,
            rule_condition_negation=True,
        )
    )
    return ProcessingPipeline(
        name="nps-enrich documents (compact profile)",
        priority=20,
        items=items,
    )
