package seed

var turkish = lexicon{
	greet:     []string{"merhaba", "Selam!", "İyi günler, yardıma ihtiyacım var"},
	greetBack: []string{"Merhaba! Size nasıl yardımcı olabilirim?", "Hoş geldiniz! Ne yapabilirim?"},
	request: [numTopics][]string{
		orderStatus:        {"Siparişim nerede? Sipariş numaram {n}", "Kargom hâlâ gelmedi, sipariş {n}", "{n} numaralı siparişin durumu nedir?"},
		cancelSubscription: {"Aboneliğimi iptal etmek istiyorum", "Üyeliğimi nasıl iptal ederim?"},
		refundRequest:      {"İki kez ücret alındı, iade istiyorum", "{n} numaralı sipariş için param iade edilebilir mi?", "Ürün kırık geldi 😞 iade lütfen"},
	},
	answer: [numTopics][]string{
		orderStatus:        {"{n} numaralı siparişiniz yolda, yarın teslim edilecek.", "Sipariş {n} dün kargoya verildi. Hesabım > Siparişlerim altından takip edebilirsiniz."},
		cancelSubscription: {"Ayrıldığınız için üzgünüz. İptal, fatura döneminin sonunda geçerli olacak.", "Ayarlar > Plan altından iptal edebilirsiniz. Sizin için yapayım mı?"},
		refundRequest:      {"R-{n} numaralı iade talebini açtım. Ücret 5 iş günü içinde hesabınızda olacak.", "Çok üzgünüz! {n},00 ₺ iadeniz yolda."},
	},
	followUp:   []string{"tamam", "Evet, lütfen", "Tekrar kontrol eder misiniz?", "Numara {n}", "hayır, o değil", "Ne kadar sürer?"},
	botFollow:  []string{"Hemen kontrol ediyorum.", "Teşekkürler, bir dakika lütfen…", "Anladım. Başka bir konuda yardımcı olabilir miyim?"},
	unclear:    []string{"ııı", "peki ya mavi olan?", "şşş"},
	fallback:   []string{"Üzgünüm, anlayamadım. Başka türlü ifade edebilir misiniz?"},
	handover:   []string{"Sizi bir müşteri temsilcisine bağlıyorum.", "Sizi bir çalışma arkadaşıma aktarıyorum, lütfen bekleyin."},
	agent:      []string{"Merhaba, ben Ayşe. Buradan sonra ben ilgileneceğim.", "Beklediğiniz için teşekkürler! Hesabınıza bakıyorum.", "Tamamlandı. Başka bir şey var mı?"},
	thanks:     []string{"teşekkürler!", "Çok teşekkür ederim, işime yaradı 👍", "süper, görüşürüz"},
	bye:        []string{"Rica ederim! İyi günler.", "Yardımcı olabildiysem ne mutlu. Hoşça kalın!"},
	stillThere: []string{"Hâlâ orada mısınız?"},
}

var japanese = lexicon{
	greet:     []string{"こんにちは", "おはようございます", "すみません、質問があります"},
	greetBack: []string{"こんにちは！ご用件をお聞かせください。", "いらっしゃいませ。どのようなご用件でしょうか？"},
	request: [numTopics][]string{
		orderStatus:        {"注文{n}はどこですか？", "荷物がまだ届きません。注文番号は{n}です。", "注文{n}の配送状況を教えてください"},
		cancelSubscription: {"サブスクリプションを解約したいです", "プランの解約方法を教えてください"},
		refundRequest:      {"二重に請求されました。返金してください", "注文{n}の返金は可能ですか？", "商品が壊れて届きました😞"},
	},
	answer: [numTopics][]string{
		orderStatus:        {"ご注文{n}は発送済みで、明日お届け予定です。", "注文{n}は昨日出荷されました。「マイアカウント」から追跡できます。"},
		cancelSubscription: {"解約を承りました。請求期間の終了時に解約されます。", "設定 > プランから解約できます。代わりに手続きしましょうか？"},
		refundRequest:      {"返金リクエストR-{n}を作成しました。5営業日以内に返金されます。", "申し訳ございません！{n}円の返金手続きを行いました。"},
	},
	followUp:   []string{"はい", "お願いします", "もう一度確認してもらえますか？", "番号は{n}です", "いいえ、違います", "どのくらいかかりますか？"},
	botFollow:  []string{"確認いたします。", "ありがとうございます。少々お待ちください…", "承知しました。他にご用件はございますか？"},
	unclear:    []string{"ええと…", "青いのは？", "ｗｗｗ"},
	fallback:   []string{"申し訳ございません、理解できませんでした。言い換えていただけますか？"},
	handover:   []string{"担当者におつなぎします。", "オペレーターに転送いたします。少々お待ちください。"},
	agent:      []string{"担当の佐藤です。ここからは私が対応いたします。", "お待たせいたしました！アカウントを確認します。", "完了しました。他にございますか？"},
	thanks:     []string{"ありがとう！", "ありがとうございました、助かりました👍", "了解です、失礼します"},
	bye:        []string{"どういたしまして！良い一日を。", "お役に立てて光栄です。失礼いたします。"},
	stillThere: []string{"まだいらっしゃいますか？"},
}

var arabic = lexicon{
	greet:     []string{"مرحبا", "السلام عليكم", "أهلاً، أحتاج إلى مساعدة"},
	greetBack: []string{"مرحباً! كيف يمكنني مساعدتك؟", "أهلاً بك! ماذا يمكنني أن أفعل لك؟"},
	request: [numTopics][]string{
		orderStatus:        {"أين طلبي {n}؟", "لم يصل طردي بعد، رقم الطلب {n}", "ما حالة الطلب رقم {n}؟"},
		cancelSubscription: {"أريد إلغاء اشتراكي", "كيف ألغي خطتي؟"},
		refundRequest:      {"تم خصم المبلغ مرتين، أريد استرداد أموالي", "هل يمكن استرداد ثمن الطلب {n}؟", "وصل المنتج مكسوراً 😞"},
	},
	answer: [numTopics][]string{
		orderStatus:        {"طلبك {n} في الطريق وسيصل غداً.", "تم شحن الطلب {n} أمس. يمكنك تتبعه من «حسابي»."},
		cancelSubscription: {"يؤسفنا رحيلك. سيتم الإلغاء في نهاية فترة الفوترة.", "يمكنك الإلغاء من الإعدادات > الخطة. هل تريد أن أقوم بذلك عنك؟"},
		refundRequest:      {"فتحت طلب الاسترداد R-{n}. ستصلك الأموال خلال 5 أيام عمل.", "نعتذر! تم إرسال مبلغ {n} ر.س إليك."},
	},
	followUp:   []string{"حسناً", "نعم، من فضلك", "هل يمكنك التحقق مرة أخرى؟", "الرقم هو {n}", "لا، ليس هذا", "كم من الوقت سيستغرق ذلك؟"},
	botFollow:  []string{"دعني أتحقق من ذلك.", "شكراً، لحظة من فضلك…", "فهمت. هل هناك شيء آخر؟"},
	unclear:    []string{"امممم", "وماذا عن الأزرق؟", "؟؟"},
	fallback:   []string{"عذراً، لم أفهم. هل يمكنك إعادة الصياغة؟"},
	handover:   []string{"سأحوّلك إلى أحد موظفينا.", "سأنقلك إلى زميل، يرجى الانتظار."},
	agent:      []string{"مرحباً، معك أحمد. سأتابع طلبك من هنا.", "شكراً لانتظارك! أراجع حسابك الآن.", "تم. هل من شيء آخر؟"},
	thanks:     []string{"شكراً!", "شكراً جزيلاً، لقد ساعدني ذلك 👍", "ممتاز، مع السلامة"},
	bye:        []string{"عفواً! يومك سعيد.", "سعدت بمساعدتك. مع السلامة!"},
	stillThere: []string{"هل ما زلت هنا؟"},
}
