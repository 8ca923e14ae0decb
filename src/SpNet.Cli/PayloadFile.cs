namespace SpNet.Cli;

/// <summary>
/// Reads the file named by --file into one array of exactly its size. A regular file is read once, straight into
/// an array of the size it reports (no growing copies: a 700 MiB file needs 700 MiB, not the ~2.5 copies a growing
/// buffer took, so it fits under a 1 GiB heap limit). A stream whose size is unknown or wrong (standard input, a
/// pipe, a device, /proc files) is read in chunks up to the largest message .NET can hold; an endless one such as
/// /dev/zero fails once it passes that, or when memory runs out first, with an error naming the file, as nngcat's
/// "Out of memory." does.
/// </summary>
internal static class PayloadFile
{
    private const int ChunkSize = 1024 * 1024;

    /// <summary>Reads all of <paramref name="stream"/>; <paramref name="path"/> names it in errors.</summary>
    public static byte[] Read(Stream stream, string path)
    {
        try
        {
            long reported = stream.CanSeek ? stream.Length - stream.Position : 0;
            if (reported > Array.MaxLength)
            {
                throw TooLarge(path);
            }
            byte[] data = reported > 0 ? GC.AllocateUninitializedArray<byte>((int)reported) : [];
            int read = ReadFully(stream, data);
            Span<byte> probe = stackalloc byte[1];
            if (read < data.Length || stream.Read(probe) == 0)
            {
                return read == data.Length ? data : data[..read]; // shrank under us: what was there
            }
            // More than the reported size (a device, a /proc file, a growing file): read on in chunks.
            return ReadChunked(stream, path, data, probe[0]);
        }
        catch (OutOfMemoryException ex)
        {
            throw new CatUsageException($"Read from {path} failed: Out of memory.", ex);
        }
    }

    private static byte[] ReadChunked(Stream stream, string path, byte[] head, byte next)
    {
        var chunks = new List<byte[]> { head };
        long total = head.Length;
        byte[] chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
        chunk[0] = next;
        int used = 1;
        while (true)
        {
            int n = stream.Read(chunk, used, chunk.Length - used);
            used += n;
            if (n == 0 || used == chunk.Length)
            {
                total += used;
                if (total > Array.MaxLength)
                {
                    throw TooLarge(path);
                }
                chunks.Add(used == chunk.Length ? chunk : chunk[..used]);
                if (n == 0)
                {
                    break;
                }
                chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
                used = 0;
            }
        }
        byte[] data = GC.AllocateUninitializedArray<byte>((int)total);
        int offset = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            chunks[i].CopyTo(data, offset);
            offset += chunks[i].Length;
            chunks[i] = []; // let each chunk go as soon as it is copied
        }
        return data;
    }

    private static int ReadFully(Stream stream, byte[] data)
    {
        int read = 0;
        while (read < data.Length)
        {
            int n = stream.Read(data, read, data.Length - read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        return read;
    }

    private static CatUsageException TooLarge(string path) =>
        new($"Read from {path} failed: File too large (over {Array.MaxLength:N0} bytes, the largest message)");
}
