import BitextCore
import Testing

@testable import BitextIngest

/// Huge-page advice changes where memory comes from, never what it holds.
struct HugePagesTests {
    @Test func advisedMemoryHoldsWhatIsWritten() {
        let count = 24 << 20  // large enough to be advised, not 2 MiB aligned at either end
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        defer { buffer.deallocate() }
        HugePages.advise(UnsafeRawPointer(buffer.baseAddress! + 3), byteCount: count - 3)
        for i in stride(from: 0, to: count, by: 4093) { buffer[i] = UInt8(truncatingIfNeeded: i) }
        for i in stride(from: 0, to: count, by: 4093) { #expect(buffer[i] == UInt8(truncatingIfNeeded: i)) }
    }

    @Test(arguments: [100, 2_000_000])
    func advisedArrayKeepsCapacityAndElements(count: Int) {
        var numbers: [Int] = []
        numbers.reserveCapacity(count)
        let capacity = numbers.capacity
        HugePages.advise(capacityOf: numbers)
        for i in 0..<count { numbers.append(i * 3) }
        #expect(numbers.capacity == capacity)
        #expect(numbers.count == count)
        #expect(numbers.last == (count - 1) * 3)
    }

    /// A clean UTF-8 file large enough for its text to be advised decodes to its own bytes.
    @Test func largeCleanFileDecodesToItsBytes() throws {
        let line = Array("Una línea de texto limpio, con acentos: áéíóú ñ.\n".utf8)
        var bytes: [UInt8] = []
        while bytes.count < 12 << 20 { bytes += line }
        let decoded = try TextDecoder.decode(bytes, file: "large.txt")
        #expect(decoded.encoding == "utf-8")
        #expect(decoded.text.utf8.elementsEqual(bytes))
    }
}
