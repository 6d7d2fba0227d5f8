using CreditGrid.Domain.Events;
using CreditGrid.Storage;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streams;

namespace CreditGrid.Grains.Streaming;

/// <summary>
/// Assigns a subject to the log partition that the stream provider reads as the subject's queue. Writer and reader
/// must agree, so both go through Orleans' own hash-ring mapper: partition i is the queue whose numeric id is i.
/// </summary>
public sealed class CreditLogPartitioner : ICreditLogPartitioner
{
    private readonly HashRingBasedStreamQueueMapper _mapper;

    public CreditLogPartitioner(int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        PartitionCount = partitionCount;
        _mapper = CreateMapper(partitionCount);
    }

    public int PartitionCount { get; }

    public int PartitionOf(SubjectType subjectType, string subjectId) =>
        (int)_mapper.GetQueueForStream(StreamId.Create(CreditStreams.NamespaceFor(subjectType), subjectId)).GetNumericId();

    /// <summary>The mapper the stream provider must use for the same partition count.</summary>
    public static HashRingBasedStreamQueueMapper CreateMapper(int partitionCount) =>
        new(new HashRingStreamQueueMapperOptions { TotalQueueCount = partitionCount }, CreditStreams.ProviderName);
}
