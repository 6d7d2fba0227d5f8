using CreditGrid.Domain.Events;
using CreditGrid.Storage;

namespace CreditGrid.PostgreSql.Tests;

/// <summary>Credit records and a predictable partitioner for the credit-event log tests.</summary>
internal static class LogTestData
{
    public static CreditEvent Penalty(string subject, string recordId) => new()
    {
        RecordId = recordId,
        SubjectId = subject,
        SubjectType = SubjectType.Enterprise,
        SourceDepartment = "11610000MB2961234X",
        DecisionDocumentNumber = "陕市监罚〔2025〕12号",
        DecisionDate = new DateOnly(2025, 3, 14),
        PublicityClass = PublicityClass.General,
        Amount = 12_345.67m,
        LegalBasis = "《中华人民共和国行政处罚法》",
        Jurisdiction = "610100",
        ReceivedAt = new DateTimeOffset(2025, 3, 15, 9, 30, 0, TimeSpan.FromHours(8)),
        Details = new PenaltyImposed([PenaltyType.Warning, PenaltyType.Fine]),
    };

    public static CreditEvent Reward(string subject, string recordId) => Penalty(subject, recordId) with
    {
        PublicityClass = PublicityClass.NotApplicable,
        Amount = null,
        Details = new RewardGranted(RewardLevel.Provincial),
    };

    /// <summary>Stable test partitioning; production uses Orleans' hash-ring mapper.</summary>
    public sealed class ModuloPartitioner(int count) : ICreditLogPartitioner
    {
        public int PartitionCount => count;

        public int PartitionOf(SubjectType subjectType, string subjectId) =>
            StableHash(subjectId) % count;

        private static int StableHash(string s)
        {
            var h = 17;
            foreach (var c in s)
            {
                h = unchecked((h * 31) + c);
            }

            return h & int.MaxValue;
        }
    }
}
