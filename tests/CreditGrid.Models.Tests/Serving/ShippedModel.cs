namespace CreditGrid.Models.Tests.Serving;

/// <summary>Where the shipped pre-credit model lives in the repository.</summary>
internal static class ShippedModel
{
    public static string Path
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "CreditGrid.slnx")))
            {
                directory = directory.Parent;
            }

            return System.IO.Path.Combine(directory!.FullName, "models", "shipped", "precredit-default.zip");
        }
    }
}
