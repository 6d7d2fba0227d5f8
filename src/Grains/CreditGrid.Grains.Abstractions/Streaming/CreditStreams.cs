using CreditGrid.Domain.Events;

namespace CreditGrid.Grains.Streaming;

/// <summary>Names of the log-backed stream: one provider, one namespace per subject grain type, keyed by USCC.</summary>
public static class CreditStreams
{
    /// <summary>The persistent stream provider whose queues are the partitions of the credit-event log.</summary>
    public const string ProviderName = "credit-log";

    public const string EnterpriseNamespace = "enterprise";

    public const string GovernmentBodyNamespace = "government-body";

    /// <summary>Government organs (机关) and public institutions (事业单位) have their own grain; everyone else is an enterprise grain.</summary>
    public static string NamespaceFor(SubjectType subjectType) =>
        subjectType == SubjectType.GovernmentBody ? GovernmentBodyNamespace : EnterpriseNamespace;
}
