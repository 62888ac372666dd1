// The pipeline-file loader: YAML parsing (Yams/libyaml), option decoding for every
// registered stage and writer, positioned errors.
import BitextCore
import BitextPipeline
import FuzzSupport

let loader = PipelineLoader()

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let yaml = String(decoding: bytes(data, size), as: UTF8.self)
    do {
        let plan = try loader.load(yaml: yaml, file: "fuzz.yaml")
        // A plan that loads must satisfy every stage's needs.
        var produced: Set<Layer> = []
        for planned in plan.stages {
            let missing = type(of: planned.stage).requires.subtracting(produced)
            require(missing.isEmpty ? [] : ["stage \(planned.id) loaded without \(missing)"], "plan")
            produced.formUnion(type(of: planned.stage).produces)
        }
    } catch let errors as PipelineErrors {
        require(errors.errors.isEmpty ? ["PipelineErrors thrown with no error"] : [], "errors")
        for error in errors.errors where error.line < 1 || error.column < 1 || error.message.isEmpty {
            require(["error without a position or message: \(error)"], "errors")
        }
    } catch {
        require(["load threw \(type(of: error)), not PipelineErrors: \(error)"], "errors")
    }
    return 0
}

runFuzzer(testOneInput)
