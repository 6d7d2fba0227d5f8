using System.Collections.Frozen;

namespace CreditGrid.Gateway.OpenApi;

/// <summary>
/// The ProblemDetails answers each operation can give, as the README's API table lists them. Kept here rather than
/// on the endpoint chains so the handlers stay as they are; a test checks every key still names a mapped route.
/// </summary>
public static class ApiErrorCatalog
{
    private const string InvalidUscc = "Invalid USCC: `reason` is the GB 32100 failure (WRONG_FORMAT, WRONG_AUTHORITY, WRONG_REGION, WRONG_ORGCODE_CHECK, WRONG_CHECK).";

    public static readonly FrozenDictionary<string, IReadOnlyList<(int Status, string Description)>> Problems =
        new Dictionary<string, IReadOnlyList<(int Status, string Description)>>
        {
            [ApiOperations.SubmitEvents] =
            [
                (400, "Malformed body (`malformed_json`, naming the line and byte), not an array, or an empty batch (`empty_batch`)."),
                (413, "More records than `CreditGrid:Ingest:MaxRecordsPerBatch` (`too_many_records`) or a body over `CreditGrid:Ingest:MaxBodyBytes` (`body_too_large`)."),
                (415, "A content type other than application/json or application/x-ndjson (`unsupported_media_type`)."),
            ],
            [ApiOperations.GetEnterprise] = SubjectErrors("a government body's code (`wrong_subject_kind`)"),
            [ApiOperations.GetExplanation] = SubjectErrors("a government body's code (`wrong_subject_kind`)"),
            [ApiOperations.GetGovernmentBody] = SubjectErrors("a code that is not a government body's (`wrong_subject_kind`)"),
            [ApiOperations.ListCities] = [(400, "Unknown `level` (city or county).")],
            [ApiOperations.GetCity] =
            [
                (400, "Not a six-digit GB/T 2260 code (`invalid_division_code`)."),
                (404, "Not a Shaanxi city or county-level unit (`unknown_division`)."),
            ],
            [ApiOperations.QueryAlerts] = [(400, "Unknown `status` or `severity`, or `limit` outside 1–1000 (`invalid_value`).")],
            [ApiOperations.ActOnAlert] =
            [
                (400, "Unknown action, or " + InvalidUscc),
                (404, "The subject has no such warning (`unknown_warning`)."),
                (409, "The action is not allowed from the warning's current status (`not_allowed_from_status`)."),
            ],
            [ApiOperations.DemoSubjects] = [(404, "The demo province is off (`CreditGrid:Demo:Enabled=false`).")],
        }.ToFrozenDictionary();

    /// <summary>Every operation that reaches the cluster can find it unreachable.</summary>
    public const string Unavailable = "The cluster or its storage is unreachable; retry later.";

    private static IReadOnlyList<(int, string)> SubjectErrors(string wrongKind) =>
    [
        (400, InvalidUscc),
        (404, $"No record of the subject has been received (`unknown_subject`), or {wrongKind}."),
    ];
}
