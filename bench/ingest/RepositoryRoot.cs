namespace CreditGrid.Bench.Ingest;

/// <summary>Finds the repository root, the directory holding <c>CreditGrid.slnx</c>, at or above a starting directory.</summary>
public static class RepositoryRoot
{
    public static string? Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CreditGrid.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
