"""An independent transcription of the vendor's page "Listing Synchronization Tasks" as (field, kind, value) facts.

Transcribed from ../shared/seed/list-sync-tasks-api-reference.txt, not from the spec: this is the one deliberate
second copy, and the fidelity test holds the spec against it.

Fields:
    `operation`                        the one operation (URI, SDK name, parameters, status codes)
    `path.X`, `query.X`, `header.X`    request parameters, by location and name as the page's tables list them
    `response.CODE`                    the JSON body of a documented status code; `response.CODE.X` its field X
    `Schema`, `Schema.X`               a named object of the page (SyncTaskInfo, SourceCdnResp) and its field X;
                                       the 200 body is `ListSyncTasksResponse`, the name the page's SDK samples use

Kinds:
    `type`             the page's type column, verbatim ("String", "Integer" = int32, "Long" = int64, "Boolean",
                       "Array of X objects", "X object")
    `minLength`, `maxLength`, `minimum`, `maximum`, `minItems`, `maxItems`, `default`
                       the page's "Minimum length", "Maximum value", "Array length", "Default value" ... lines
    `enum`             the allowed values in the page's order (its "Enumerated values:" lists are empty in the
                       transcript; the values are the ones the description lists)
    `forbidden_chars`  characters the description says are not allowed (and only those)
    `nullable`         the page's example response returns the field as null
    `mandatory`        the request tables' "Mandatory" column
    `example`          the page's example request and response
    `fields`           the fields of a response table, in the page's order; `includes_fields`: at least these
    `description`      the status-code table's description
    `method_and_path`, `sdk_operation`, `parameters`, `status_codes`: the operation itself
"""

import json
from typing import NamedTuple


class VendorFact(NamedTuple):
    """One thing the vendor's page states."""

    field: str
    kind: str
    value: object

    @property
    def label(self) -> str:
        """The test id: `query.limit-maximum`."""
        return f"{self.field}-{self.kind}"


INT64_MAX = 9223372036854775807

# "Example Response / Status code: 200", copied verbatim from the page.
PAGE_EXAMPLE_RESPONSE_200 = json.loads(
    """
{
"tasks" : [ {
"sync_task_id" : "d18befdd-eb82-41f3-8019-bbb593d74a3e",
"src_cloud_type" : "HuaweiCloud",
"src_region" : "cn-north-7",
"src_bucket" : "oms-sdk-test-src",
"create_time" : 1700639560751,
"last_start_time" : 1700639560751,
"dst_bucket" : "oms-sdk-test-dst",
"dst_region" : "cn-north-7",
"description" : "sync task test",
"status" : "SYNCHRONIZING",
"enable_kms" : false,
"enable_metadata_migration" : false,
"enable_restore" : false,
"app_id" : null,
"source_cdn" : null,
"object_overwrite_mode" : "SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE",
"dst_storage_policy" : null,
"consistency_check" : "size_last_modified"
} ],
"count" : 1
}
"""
)

F = VendorFact

VENDOR_PAGE_FACTS: tuple[VendorFact, ...] = (
    # --- URI, SDK sample code, Status Codes table -------------------------------------------------------------
    F("operation", "method_and_path", "GET /v2/{project_id}/sync-tasks"),
    F("operation", "sdk_operation", "ListSyncTasks"),  # ListSyncTasksRequest / client.listSyncTasks in the samples
    F(
        "operation",
        "parameters",
        ["path.project_id", "query.limit", "query.offset", "query.status", "header.X-Auth-Token"],
    ),
    F("operation", "status_codes", ["200", "400"]),
    # --- URI parameters ----------------------------------------------------------------------------------------
    F("path.project_id", "mandatory", True),
    F("path.project_id", "type", "String"),
    F("path.project_id", "minLength", 1),
    F("path.project_id", "maxLength", 1024),
    F("path.project_id", "example", "2c0689c860ad4728a497c91ec0844383"),  # the example request's project
    # --- Query parameters --------------------------------------------------------------------------------------
    F("query.limit", "mandatory", False),
    F("query.limit", "type", "Integer"),
    F("query.limit", "minimum", 1),
    F("query.limit", "maximum", 100),
    F("query.limit", "default", 10),
    F("query.limit", "example", 5),  # ?offset=0&limit=5&status=SYNCHRONIZING
    F("query.offset", "mandatory", False),
    F("query.offset", "type", "Integer"),
    F("query.offset", "minimum", 0),
    F("query.offset", "maximum", 10000),
    F("query.offset", "default", 0),
    F("query.offset", "example", 0),
    F("query.status", "mandatory", False),
    F("query.status", "type", "String"),
    F("query.status", "minLength", 0),
    F("query.status", "maxLength", 255),
    F("query.status", "enum", ["SYNCHRONIZING", "STOPPED"]),
    F("query.status", "example", "SYNCHRONIZING"),
    # --- Request header parameters -----------------------------------------------------------------------------
    F("header.X-Auth-Token", "mandatory", True),
    F("header.X-Auth-Token", "type", "String"),
    F("header.X-Auth-Token", "minLength", 1),
    F("header.X-Auth-Token", "maxLength", 16384),
    # --- Response, status code 200 -----------------------------------------------------------------------------
    F("response.200", "description", "OK"),
    F("response.200", "type", "ListSyncTasksResponse object"),
    F("response.200", "example", PAGE_EXAMPLE_RESPONSE_200),
    F("ListSyncTasksResponse", "fields", ["tasks", "count"]),
    F("ListSyncTasksResponse.tasks", "type", "Array of SyncTaskInfo objects"),
    F("ListSyncTasksResponse.tasks", "minItems", 0),
    F("ListSyncTasksResponse.tasks", "maxItems", 100),
    F("ListSyncTasksResponse.count", "type", "Long"),
    F("ListSyncTasksResponse.count", "minimum", 0),
    F("ListSyncTasksResponse.count", "maximum", INT64_MAX),
    # --- SyncTaskInfo ------------------------------------------------------------------------------------------
    F(
        "SyncTaskInfo",
        "fields",
        [
            "sync_task_id",
            "src_cloud_type",
            "src_region",
            "src_bucket",
            "create_time",
            "last_start_time",
            "dst_bucket",
            "dst_region",
            "description",
            "status",
            "enable_kms",
            "enable_metadata_migration",
            "enable_restore",
            "app_id",
            "source_cdn",
            "object_overwrite_mode",
            "dst_storage_policy",
            "consistency_check",
        ],
    ),
    F("SyncTaskInfo.sync_task_id", "type", "String"),
    F("SyncTaskInfo.sync_task_id", "minLength", 0),
    F("SyncTaskInfo.sync_task_id", "maxLength", 255),
    F("SyncTaskInfo.src_cloud_type", "type", "String"),
    F(
        "SyncTaskInfo.src_cloud_type",
        "enum",
        ["AWS", "Azure", "Aliyun", "Tencent", "HuaweiCloud", "QingCloud", "KingsoftCloud", "Baidu", "Qiniu", "UCloud"],
    ),
    F("SyncTaskInfo.src_cloud_type", "default", "Aliyun"),
    F("SyncTaskInfo.src_region", "type", "String"),
    F("SyncTaskInfo.src_region", "minLength", 0),
    F("SyncTaskInfo.src_region", "maxLength", 100),
    F("SyncTaskInfo.src_bucket", "type", "String"),
    F("SyncTaskInfo.src_bucket", "minLength", 0),
    F("SyncTaskInfo.src_bucket", "maxLength", 1024),
    F("SyncTaskInfo.create_time", "type", "Long"),
    F("SyncTaskInfo.create_time", "minimum", 0),
    F("SyncTaskInfo.create_time", "maximum", INT64_MAX),
    F("SyncTaskInfo.last_start_time", "type", "Long"),
    F("SyncTaskInfo.last_start_time", "minimum", 0),
    F("SyncTaskInfo.last_start_time", "maximum", INT64_MAX),
    F("SyncTaskInfo.dst_bucket", "type", "String"),
    F("SyncTaskInfo.dst_bucket", "minLength", 0),
    F("SyncTaskInfo.dst_bucket", "maxLength", 1024),
    F("SyncTaskInfo.dst_region", "type", "String"),
    F("SyncTaskInfo.dst_region", "minLength", 0),
    F("SyncTaskInfo.dst_region", "maxLength", 100),
    F("SyncTaskInfo.description", "type", "String"),
    F("SyncTaskInfo.description", "minLength", 0),
    F("SyncTaskInfo.description", "maxLength", 255),
    F("SyncTaskInfo.description", "forbidden_chars", "<>()\"'&"),
    F("SyncTaskInfo.status", "type", "String"),
    F("SyncTaskInfo.status", "enum", ["SYNCHRONIZING", "STOPPED"]),
    F("SyncTaskInfo.enable_kms", "type", "Boolean"),
    F("SyncTaskInfo.enable_kms", "default", False),  # "disabled by default"
    F("SyncTaskInfo.enable_metadata_migration", "type", "Boolean"),
    F("SyncTaskInfo.enable_metadata_migration", "default", False),
    F("SyncTaskInfo.enable_restore", "type", "Boolean"),
    F("SyncTaskInfo.enable_restore", "default", False),
    F("SyncTaskInfo.app_id", "type", "String"),
    F("SyncTaskInfo.app_id", "minLength", 0),
    F("SyncTaskInfo.app_id", "maxLength", 255),
    F("SyncTaskInfo.app_id", "nullable", True),  # "app_id" : null in the example response
    F("SyncTaskInfo.source_cdn", "type", "SourceCdnResp object"),
    F("SyncTaskInfo.source_cdn", "nullable", True),  # "source_cdn" : null
    F("SyncTaskInfo.object_overwrite_mode", "type", "String"),
    F(
        "SyncTaskInfo.object_overwrite_mode",
        "enum",
        ["NO_OVERWRITE", "SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE", "CRC64_COMPARISON_OVERWRITE", "FULL_OVERWRITE"],
    ),
    F("SyncTaskInfo.object_overwrite_mode", "default", "SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE"),
    F("SyncTaskInfo.dst_storage_policy", "type", "String"),
    F("SyncTaskInfo.dst_storage_policy", "minLength", 0),
    F("SyncTaskInfo.dst_storage_policy", "maxLength", 128),
    F("SyncTaskInfo.dst_storage_policy", "enum", ["STANDARD", "IA", "ARCHIVE", "DEEP_ARCHIVE", "SRC_STORAGE_MAPPING"]),
    F("SyncTaskInfo.dst_storage_policy", "default", "STANDARD"),
    F("SyncTaskInfo.dst_storage_policy", "nullable", True),  # "dst_storage_policy" : null
    F("SyncTaskInfo.consistency_check", "type", "String"),
    F("SyncTaskInfo.consistency_check", "enum", ["size_last_modified", "crc64", "no_check"]),
    F("SyncTaskInfo.consistency_check", "default", "size_last_modified"),
    # --- SourceCdnResp -----------------------------------------------------------------------------------------
    F("SourceCdnResp", "fields", ["domain", "protocol", "authentication_type"]),
    F("SourceCdnResp.domain", "type", "String"),
    F("SourceCdnResp.domain", "minLength", 0),
    F("SourceCdnResp.domain", "maxLength", 1024),
    F("SourceCdnResp.protocol", "type", "String"),
    F("SourceCdnResp.protocol", "enum", ["HTTP", "HTTPS"]),
    F("SourceCdnResp.authentication_type", "type", "String"),
    F(
        "SourceCdnResp.authentication_type",
        "enum",
        [
            "NONE",
            "QINIU_PRIVATE_AUTHENTICATION",
            "ALIYUN_OSS_A",
            "ALIYUN_OSS_B",
            "ALIYUN_OSS_C",
            "KSYUN_PRIVATE_AUTHENTICATION",
            "AZURE_SAS_TOKEN",
            "TENCENT_COS_A",
            "TENCENT_COS_B",
            "TENCENT_COS_C",
            "TENCENT_COS_D",
        ],
    ),
    # --- Response, status code 400 -----------------------------------------------------------------------------
    F("response.400", "description", "Bad request"),
    F("response.400", "includes_fields", ["error_msg", "error_code"]),
    F("response.400.error_msg", "type", "String"),
    F("response.400.error_code", "type", "String"),
)
