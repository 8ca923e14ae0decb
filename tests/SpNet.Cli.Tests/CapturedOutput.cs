using System.Text;

namespace SpNet.Cli.Tests;

/// <summary>A thread-safe write-only stream whose content a test can await.</summary>
internal sealed class CapturedOutput : Stream
{
    private readonly object _gate = new();
    private readonly MemoryStream _buffer = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public byte[] ToArray()
    {
        lock (_gate)
        {
            return _buffer.ToArray();
        }
    }

    public string Text => Encoding.Latin1.GetString(ToArray());

    public override void Write(byte[] buffer, int offset, int count)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _buffer.Write(buffer, offset, count);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Waits until the text satisfies <paramref name="condition"/>, failing after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }
            string text = Text;
            if (condition(text))
            {
                return text;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"output never matched; got: {text}");
            }
        }
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
