"""Word classes of Vietnamese administrative writing, for the recogniser's features.

What makes a name an agency or a project in any province is not the name
but the words around and inside it: the head word that opens it (`Sở`,
`Kho bạc Nhà nước`, `Chi nhánh`, `Công ty`), the sector that follows (`Tài
chính`, `Nông nghiệp và Môi trường`), the locality at its end (from
`solieu.places`), the trigger before a project (`dự án`, `công trình`), the
head noun of the work (`Hồ chứa`, `Kè`, `Khu đô thị`) and the verb that ends
the name (`làm chủ đầu tư`, `có tổng mức đầu tư`, `vừa phê duyệt`). These
lists are the vocabulary of Vietnamese administration and public investment,
written from how such texts read everywhere; none is a name from the seed
reports, and the model learns how far to trust each class.
"""

from __future__ import annotations

# Words that open the name of a body.
AGENCY_HEADS = (
    "UBND", "HĐND", "Ủy ban nhân dân", "Uỷ ban nhân dân", "Hội đồng nhân dân", "Ủy ban", "Uỷ ban",
    "Sở", "Bộ", "Cục", "Chi cục", "Tổng cục", "Vụ", "Ban", "Ban Quản lý", "Ban QLDA", "Ban Chỉ đạo",
    "Văn phòng", "Phòng", "Trung tâm", "Viện", "Học viện", "Đài", "Báo", "Hội", "Liên minh", "Liên đoàn",
    "Đoàn", "Tỉnh ủy", "Tỉnh uỷ", "Thành ủy", "Thành uỷ", "Huyện ủy", "Huyện uỷ", "Đảng ủy", "Đảng uỷ",
    "Đảng bộ", "Mặt trận Tổ quốc", "Chính phủ", "Quốc hội", "Thủ tướng", "Kho bạc Nhà nước", "Kho bạc",
    "KBNN", "Kiểm toán nhà nước", "Kiểm toán Nhà nước", "KTNN", "Thanh tra", "Ngân hàng", "NHCSXH",
    "Chi nhánh", "Phòng giao dịch", "Quỹ", "Bảo hiểm xã hội", "BHXH", "Công an", "Bộ Chỉ huy",
    "Ban Chỉ huy", "Bộ đội Biên phòng", "Tòa án nhân dân", "Viện kiểm sát nhân dân", "Cục Thuế",
    "Chi cục Thuế", "Thuế", "Hải quan", "Thống kê", "Công ty", "Tổng công ty", "Tập đoàn", "Hợp tác xã",
    "HTX", "Liên danh", "Điện lực", "Cảng vụ", "Hạt", "Trạm", "Đội", "Tổ hợp tác",
)

# The sectors of departments, ministries and their offices.
SECTORS = (
    "Tài chính", "Kế hoạch và Đầu tư", "Kế hoạch", "Đầu tư", "Xây dựng", "Giao thông vận tải",
    "Giao thông", "Vận tải", "Nông nghiệp và Phát triển nông thôn", "Nông nghiệp và Môi trường",
    "Nông nghiệp", "Phát triển nông thôn", "Tài nguyên và Môi trường", "Tài nguyên", "Môi trường",
    "Công Thương", "Công thương", "Y tế", "Giáo dục và Đào tạo", "Giáo dục", "Đào tạo",
    "Lao động - Thương binh và Xã hội", "Lao động", "Thương binh", "Xã hội", "Nội vụ", "Tư pháp",
    "Văn hóa, Thể thao và Du lịch", "Văn hóa", "Thể thao", "Du lịch", "Khoa học và Công nghệ",
    "Khoa học", "Công nghệ", "Thông tin và Truyền thông", "Thông tin", "Truyền thông", "Ngoại vụ",
    "Dân tộc", "Dân tộc và Tôn giáo", "Quốc phòng", "Công an", "Ngoại giao", "Thuế", "Hải quan",
    "Thống kê", "Quản lý thị trường", "Kiểm lâm", "Thủy lợi", "Thuỷ lợi", "Chính sách xã hội",
    "Phát triển", "Đầu tư xây dựng", "Dự án", "Chính sách", "Nhà nước", "khu vực", "Khu vực",
    "Chi nhánh", "Thương mại cổ phần", "TMCP", "Cổ phần", "cổ phần", "TNHH", "MTV", "CP",
)

# Words right before a project's name, outside it (the spec), and the head words inside it.
PROJECT_TRIGGERS = ("dự án", "Dự án", "công trình", "Công trình", "tiểu dự án", "Tiểu dự án",
                    "dự án thành phần", "Dự án thành phần", "gói thầu", "Gói thầu")
PROJECT_HEADS = (
    "Chương trình", "Đề án", "Đường", "đường", "Tuyến", "tuyến", "Cao tốc", "cao tốc", "Quốc lộ", "quốc lộ",
    "Tỉnh lộ", "Đường tỉnh", "đường tỉnh", "Cầu", "cầu", "Hồ chứa", "hồ chứa", "Hồ", "Đập", "Kè", "kè",
    "Khu đô thị", "khu đô thị", "Khu dân cư", "khu dân cư", "Khu công nghiệp", "khu công nghiệp",
    "Cụm công nghiệp", "cụm công nghiệp", "Khu tái định cư", "Nhà máy", "nhà máy", "Bệnh viện",
    "Trường", "Trụ sở", "Nhà văn hóa", "Nhà văn hoá", "Trung tâm", "Công viên", "Chợ", "Cảng", "Bến",
    "Cải tạo", "cải tạo", "Nâng cấp", "nâng cấp", "Xây dựng", "xây dựng", "Sửa chữa", "sửa chữa",
    "Mở rộng", "mở rộng", "Nạo vét", "Hạ tầng", "hạ tầng", "Hệ thống", "hệ thống", "Kênh", "kênh",
    "Trạm bơm", "Cấp nước", "cấp nước", "Thoát nước", "Chỉnh trang", "Bồi thường", "Phát triển",
    "Km", "ĐT", "QL", "ĐH",
)

# Words that end a name: the verb or relation that follows an agency or a project.
NAME_ENDERS = (
    "làm", "là", "có", "với", "vừa", "đã", "đang", "sẽ", "được", "bị", "thông tin", "cho biết",
    "cho hay", "đạt", "thu", "chi", "giải ngân", "phê duyệt", "ban hành", "tổ chức", "triển khai",
    "thực hiện", "chủ trì", "phối hợp", "tiếp nhận", "ký", "khởi công", "hoàn thành", "đưa vào",
    "bàn giao", "kiến nghị", "yêu cầu", "đề nghị", "báo cáo", "tổng mức đầu tư", "tổng vốn",
    "tổng kinh phí", "kinh phí", "vốn", "dư nợ", "tại", "ở", "trên địa bàn", "thuộc", "do", "của",
    "theo", "về", "trong", "nhằm", "để", "và", "hoặc", "cùng", "tăng", "giảm", "bằng", "chiếm",
    "nhiệm kỳ", "khóa", "khoá", "giai đoạn", "năm", "tháng", "ngày", "quý",
)

# Words that make what follows generic or plural: not one named body or work.
GENERIC_MARKERS = ("các", "những", "mọi", "nhiều", "một số", "các cơ quan", "từng")
