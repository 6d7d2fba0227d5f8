using CreditGrid.Grains.Subjects;

namespace CreditGrid.Gateway.Infrastructure;

/// <summary>
/// The co-hosted silo's <see cref="SubjectDocumentBoard"/>, through which a lookup is answered without a grain call
/// when the subject's document is posted and still valid. Only the single-process grid opens its board; a gateway that
/// is an Orleans client, or co-hosts one silo of a cluster, has none, and every read misses.
/// </summary>
public sealed class CoHostedDocuments(SubjectDocumentBoard? board)
{
    /// <summary>Whether this gateway shares its process with a silo and can read that silo's board.</summary>
    public bool Available => board is not null;

    /// <summary>The subject's valid posted document, or null: then the grain answers.</summary>
    public SubjectDocument? Read(string subjectId, bool governmentBody) => board?.Read(subjectId, governmentBody);
}

public static class CoHostedDocumentsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="CoHostedDocuments"/> over the co-hosted silo's board, if this process hosts a silo whose board is open.</summary>
    public static IServiceCollection AddCoHostedDocuments(this IServiceCollection services) =>
        services.AddSingleton(sp => new CoHostedDocuments(sp.GetService<SubjectDocumentBoard>() is { Enabled: true } board ? board : null));
}
