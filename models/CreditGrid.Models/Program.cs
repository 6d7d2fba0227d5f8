namespace CreditGrid.Models;

internal static class Program
{
    private static int Main(string[] args) => ModelsCommandLine.Build().Parse(args).Invoke();
}
