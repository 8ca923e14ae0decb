using System.Globalization;

namespace SpNet.Reliability.Tests.Partition;

/// <summary>
/// The kernel's TCP table of a process's network namespace (<c>/proc/PID/net/tcp</c>): whether a connection is
/// established, read without starting a process and without waiting for the process itself to notice. On a loaded
/// machine a peer tool prints "pipe: removed" a second or more after its kernel dropped the connection; the table
/// says when the kernel did.
/// </summary>
internal static class TcpTable
{
    private const string Established = "01";

    /// <summary>True if the namespace of process <paramref name="pid"/> has an established IPv4 connection with <paramref name="port"/> at either end.</summary>
    public static bool HasEstablished(int pid, int port)
    {
        // "sl local_address rem_address st ...", addresses as HEXIP:HEXPORT.
        foreach (string line in File.ReadLines($"/proc/{pid}/net/tcp").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 3 && fields[3] == Established && (Port(fields[1]) == port || Port(fields[2]) == port))
            {
                return true;
            }
        }
        return false;
    }

    private static int Port(string address) =>
        int.Parse(address.AsSpan(address.IndexOf(':', StringComparison.Ordinal) + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
