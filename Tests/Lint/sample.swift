// The force-unwrap lint's own test (`.ci/lint-force-unwraps --self-test`, run by `make test`):
// every line marked `lint: flagged` must be reported, and no other. Not compiled.
let a = optional!  // lint: flagged
let b = dictionary["key"]!.count  // lint: flagged
let c = call()!  // lint: flagged
let d = try! decode(bytes)  // lint: flagged
let e = value as! String  // lint: flagged
let f = "text \(name!) in a string"  // lint: flagged
let g = #"raw \#(other!) interpolated"#  // lint: flagged
let h = first!, second = 2  // lint: flagged
var i: Int!  // lint: flagged
let j = x != y
let k = !flag && a !== b
let l = "Hello! not code"
let m = #"quotes " and ! inside"#
// a comment with a force unwrap x! is not code
/* a block comment with y! and /* nested z! */ still comment */
let n = """
    multi-line text with w! and "quotes"
    """
let o = v!  // force-unwrap-ok: the sample's justified one
// force-unwrap-ok: justified on the line above
let p = u!
let q = "escaped \" quote then"; let r = s!  // lint: flagged
let t = "\(a.map { "\($0)" }!) nested"  // lint: flagged
let u = "done"; if !ready { }
let w = "\\"; let x = y!  // lint: flagged
