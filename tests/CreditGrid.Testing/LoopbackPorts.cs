using System.Net;
using System.Net.Sockets;

namespace CreditGrid.Testing;

/// <summary>Free loopback ports, so test hosts and clusters can run side by side.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the OS just reported free; another process may still take it before it is bound.</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
